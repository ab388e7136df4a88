/* Names shared by the extension's classic scripts. The scripts load into one global
 * scope (manifest content_scripts, importScripts, <script> tags), so the record and
 * message types are declared once here, from schema.d.ts and messages.d.ts. */

type InputRecord = import("./schema").InputRecord;
type ResultRecord = import("./schema").ResultRecord;
type RewriteResponse = import("./schema").RewriteResponse;
type Diagnostic = import("./schema").Diagnostic;
type Settings = import("./messages").Settings;
type Site = import("./messages").Site;
type SiteContext = import("./messages").SiteContext;
type ApiError = import("./messages").ApiError;
type ApiErrorCode = import("./messages").ApiErrorCode;
type ApiOutcome<T> = import("./messages").ApiOutcome<T>;
type PortRequest = import("./messages").PortRequest;
type PortResponse = import("./messages").PortResponse;
type RuntimeRequest = import("./messages").RuntimeRequest;
type ContextResponse = import("./messages").ContextResponse;
type ConnectionReport = import("./messages").ConnectionReport;

/** Classic service workers load the shared scripts with importScripts (WorkerGlobalScope). */
declare function importScripts(...urls: string[]): void;

interface String {
  /** ES2024; Chrome 111+. */
  toWellFormed(): string;
}
