/* Types of the extension's own data: settings and the messages between the content
 * script, the options page and the service worker. Records exchanged with the API
 * come from schema.d.ts (generated from docs/schema). */

import type { InputRecord, ResultRecord, RewriteResponse } from "./schema";

export type MarketplaceId = NonNullable<InputRecord["marketplace"]>;

/** A site the extension runs on. The built-in one covers every Seller Central host. */
export interface Site {
  id: string;
  /** Chrome match pattern, e.g. "https://desk.example.com/*"; empty for the built-in site. */
  pattern: string;
  enabled: boolean;
  builtin: boolean;
  /** Marketplace profile for this site, overriding the global choice. */
  marketplace?: MarketplaceId;
}

/** Synced settings (chrome.storage.sync). The API key lives apart, in chrome.storage.local. */
export interface Settings {
  apiUrl: string;
  marketplace: MarketplaceId | "auto";
  lang: "auto" | "en" | "fr" | "de" | "es" | "it";
  sites: Site[];
  /** Whether the panel starts expanded. */
  panelOpen: boolean;
}

/** What the content script needs to know about its page; never the key or the URL of the API. */
export interface SiteContext {
  enabled: boolean;
  siteId: string | null;
  marketplace: MarketplaceId;
  lang: Settings["lang"];
}

/** Why a call to the API failed, as the interface explains it. */
export type ApiErrorCode =
  | "unreachable"
  | "timeout"
  | "unauthorized"
  | "too-large"
  | "rate-limited"
  | "bad-request"
  | "server"
  | "bad-response"
  | "not-configured"
  | "cancelled";

export interface ApiError {
  code: ApiErrorCode;
  /** The API's own message when it sent one (already human-readable). */
  message: string;
  status?: number;
  /** Seconds to wait before retrying, from Retry-After. */
  retryAfter?: number;
}

export type ApiOutcome<T> = { ok: true; data: T; ms: number } | { ok: false; error: ApiError; ms: number };

/** Requests over the content script's port. */
export type PortRequest =
  | { id: number; type: "check"; record: InputRecord }
  | { id: number; type: "rewrite"; record: InputRecord }
  | { id: number; type: "cancel" };

export type PortResponse =
  | ({ id: number; type: "check" } & ApiOutcome<ResultRecord>)
  | ({ id: number; type: "rewrite" } & ApiOutcome<RewriteResponse>);

/** One-off runtime messages. */
export type RuntimeRequest =
  | { type: "context" }
  | { type: "set-panel-open"; open: boolean }
  | { type: "open-options" }
  | { type: "test-connection"; apiUrl: string; apiKey: string }
  | { type: "sites-changed" };

export interface ContextResponse {
  context: SiteContext;
  panelOpen: boolean;
}

export interface ConnectionReport {
  ok: boolean;
  /** API version from the X-Replylint-Version header, when sent. */
  version: string | null;
  ms: number;
  error?: ApiError;
}

/** Sent by the service worker to every tab when settings change. */
export interface SettingsChangedNotice {
  type: "settings-changed";
}
