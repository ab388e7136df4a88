// @ts-check
// Styles of everything the extension draws, scoped to its shadow root so the page's
// CSS never reaches it and it never reaches the page.

var RL_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.rl-layer { position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483000; }
.rl-mirror { position: fixed; left: 0; top: 0; visibility: hidden; pointer-events: none;
  overflow: hidden; height: auto; margin: 0; border: 0; }
.rl-clip { position: fixed; overflow: hidden; pointer-events: none; }
.rl-mark { position: absolute; pointer-events: none; border-bottom: 2px solid var(--rl-c);
  border-radius: 1px; transition: background-color .12s; }
.rl-mark.rl-error { --rl-c: #d93025; }
.rl-mark.rl-warning { --rl-c: #e8a200; }
.rl-mark.rl-info { --rl-c: #1a73e8; border-bottom-style: dotted; }
.rl-mark.rl-active { background: color-mix(in srgb, var(--rl-c) 16%, transparent); }

.rl-ui { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif;
  color: #202124; }
.rl-card, .rl-panel, .rl-dialog { position: fixed; pointer-events: auto; background: #fff; color: #202124;
  border: 1px solid #dadce0; border-radius: 8px; box-shadow: 0 4px 16px rgba(32,33,36,.18); }
.rl-card { width: 320px; max-width: calc(100vw - 16px); padding: 10px 12px; z-index: 3; }
.rl-card[hidden], .rl-panel[hidden], .rl-dialog[hidden], .rl-pill[hidden] { display: none; }
.rl-item + .rl-item { border-top: 1px solid #eee; margin-top: 8px; padding-top: 8px; }
.rl-head { display: flex; align-items: center; gap: 6px; font-weight: 600; }
.rl-dot { width: 8px; height: 8px; border-radius: 50%; flex: none; background: var(--rl-c, #1a73e8); }
.rl-sev-error { --rl-c: #d93025; } .rl-sev-warning { --rl-c: #e8a200; } .rl-sev-info { --rl-c: #1a73e8; }
.rl-rule { font: 11px/1.2 ui-monospace, SFMono-Regular, Menlo, monospace; color: #5f6368; font-weight: 400; margin-left: auto; }
.rl-msg { margin: 4px 0 0; }
.rl-help { margin: 4px 0 0; color: #5f6368; }
.rl-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; align-items: center; }
.rl-btn { font: inherit; font-size: 12px; border-radius: 4px; border: 1px solid #dadce0; background: #fff; color: #1a73e8;
  padding: 3px 8px; cursor: pointer; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.rl-btn:hover { background: #f1f3f4; }
.rl-btn:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
.rl-btn.rl-primary { background: #1a73e8; border-color: #1a73e8; color: #fff; }
.rl-btn.rl-primary:hover { background: #1765cc; }
.rl-btn.rl-danger { background: #d93025; border-color: #d93025; color: #fff; }
.rl-btn[disabled] { opacity: .5; cursor: default; }
.rl-link { color: #1a73e8; text-decoration: none; font-size: 12px; }
.rl-link:hover { text-decoration: underline; }
.rl-fix { color: #188038; }
.rl-fix del { color: #d93025; }

.rl-pill { position: fixed; pointer-events: auto; z-index: 2; height: 24px; min-width: 24px; padding: 0 7px;
  border-radius: 12px; border: 0; display: flex; align-items: center; gap: 4px; cursor: pointer;
  font: 600 12px/24px system-ui, sans-serif; color: #fff; background: #188038;
  box-shadow: 0 1px 4px rgba(32,33,36,.3); opacity: .92; }
.rl-pill:hover { opacity: 1; }
.rl-pill.rl-state-errors { background: #d93025; }
.rl-pill.rl-state-warnings { background: #e8a200; color: #202124; }
.rl-pill.rl-state-idle { background: #5f6368; }
.rl-pill.rl-state-offline { background: #9aa0a6; }
.rl-pill.rl-busy::after { content: ""; width: 8px; height: 8px; border-radius: 50%; border: 2px solid currentColor;
  border-right-color: transparent; animation: rl-spin .8s linear infinite; }
@keyframes rl-spin { to { transform: rotate(360deg); } }

.rl-panel { width: 280px; max-width: calc(100vw - 16px); max-height: min(70vh, 560px); overflow: auto; z-index: 2; }
.rl-panel-head { display: flex; align-items: center; gap: 8px; padding: 8px 10px; border-bottom: 1px solid #eee; }
.rl-badge { font-weight: 600; font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #e6f4ea; color: #137333; }
.rl-badge.rl-bad { background: #fce8e6; color: #c5221f; }
.rl-badge.rl-unknown { background: #f1f3f4; color: #5f6368; }
.rl-score { margin-left: auto; font-weight: 600; }
.rl-score small { font-weight: 400; color: #5f6368; }
.rl-close { border: 0; background: none; cursor: pointer; color: #5f6368; font-size: 16px; line-height: 1; padding: 2px 4px; }
.rl-section { padding: 8px 10px; border-bottom: 1px solid #f1f3f4; }
.rl-section:last-child { border-bottom: 0; }
.rl-label { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #5f6368; margin-bottom: 4px; }
.rl-checklist { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: 1fr 1fr; gap: 3px 14px; }
.rl-check { display: flex; align-items: center; gap: 5px; min-width: 0; }
.rl-check .rl-tick { width: 16px; height: 16px; border-radius: 50%; flex: none; display: inline-flex; align-items: center;
  justify-content: center; font-size: 11px; font-weight: 700; background: #f1f3f4; color: #9aa0a6; }
.rl-check.rl-done .rl-tick { background: #e6f4ea; color: #137333; }
.rl-check.rl-missing .rl-tick { background: #fef7e0; color: #b06000; }
.rl-check button { font: inherit; font-size: 11px; border: 0; background: none; color: #1a73e8; cursor: pointer; padding: 0; }
.rl-note { color: #5f6368; font-size: 12px; }
.rl-risk { display: inline-block; font-weight: 600; font-size: 12px; padding: 1px 7px; border-radius: 10px; }
.rl-risk-high { background: #fce8e6; color: #c5221f; }
.rl-risk-medium { background: #fef7e0; color: #b06000; }
.rl-risk-low { background: #e6f4ea; color: #137333; }
.rl-reasons { margin: 4px 0 0; padding-left: 16px; color: #5f6368; font-size: 12px; }
.rl-counts { display: flex; gap: 10px; font-size: 12px; }
.rl-others { margin: 4px 0 0; padding-left: 16px; font-size: 12px; }
.rl-status { font-size: 11px; color: #5f6368; display: flex; gap: 6px; align-items: center; }
.rl-status.rl-status-error { color: #c5221f; }
.rl-foot { display: flex; align-items: center; gap: 8px; padding: 8px 10px; }
.rl-foot .rl-status { margin-left: auto; text-align: right; }

.rl-diff { white-space: pre-wrap; word-break: break-word; font-size: 12.5px; line-height: 1.5; max-height: 240px; overflow: auto;
  border: 1px solid #eee; border-radius: 6px; padding: 6px 8px; background: #fafafa; }
.rl-diff del { background: #fce8e6; color: #a50e0e; text-decoration: line-through; }
.rl-diff ins { background: #e6f4ea; color: #0d652d; text-decoration: none; }
.rl-changes { margin: 6px 0 0; padding-left: 16px; font-size: 12px; color: #5f6368; }

.rl-dialog { width: 360px; max-width: calc(100vw - 16px); padding: 12px 14px; z-index: 4; }
.rl-dialog h2 { font-size: 14px; margin: 0 0 6px; }
.rl-dialog ul { margin: 6px 0; padding-left: 18px; }
@media (prefers-reduced-motion: reduce) { .rl-pill.rl-busy::after { animation: none; } .rl-mark { transition: none; } }
`;
