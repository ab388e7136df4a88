// @ts-check
// Interface text from _locales (en, fr, de, es, it, zh_CN), in the browser's language.

/**
 * @param {string} key
 * @param {string | number | Array<string | number>} [substitutions]
 * @returns {string}
 */
function rlT(key, substitutions) {
  const subs =
    substitutions === undefined
      ? undefined
      : (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String);
  try {
    return chrome.i18n.getMessage(key, subs) || key;
  } catch {
    // The extension was reloaded under this page: keep the page usable.
    return key;
  }
}

/**
 * A small element builder: rlEl("button", {className: "x", onclick}, "text").
 * Text is always set as text, never parsed as HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function rlEl(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (key === "className" || key === "textContent" || key === "title" || key === "href" || key === "type") {
      /** @type {any} */ (el)[key] = value;
    } else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}
