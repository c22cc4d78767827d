// Generated from src-tauri/core/commands.rs by `cargo test -p postdesk-core bindings`. Do not edit.
import type { AccessKeyPageView } from './AccessKeyPageView';
import type { ActiveKey } from './ActiveKey';
import type { ActivityRow } from './ActivityRow';
import type { AddKey } from './AddKey';
import type { AppInfo } from './AppInfo';
import type { CallDetails } from './CallDetails';
import type { CallFilter } from './CallFilter';
import type { CallRow } from './CallRow';
import type { CollectionColumns } from './CollectionColumns';
import type { CollectionEdit } from './CollectionEdit';
import type { CollectionView } from './CollectionView';
import type { Copied } from './Copied';
import type { Created } from './Created';
import type { DraftKind } from './DraftKind';
import type { DraftsOverview } from './DraftsOverview';
import type { EnvVariable } from './EnvVariable';
import type { EnvironmentRow } from './EnvironmentRow';
import type { EnvironmentView } from './EnvironmentView';
import type { ExportFormat } from './ExportFormat';
import type { KeyView } from './KeyView';
import type { Listed } from './Listed';
import type { LocalMock } from './LocalMock';
import type { LocalStart } from './LocalStart';
import type { Meters } from './Meters';
import type { MockInput } from './MockInput';
import type { MockList } from './MockList';
import type { MonitorInput } from './MonitorInput';
import type { MonitorList } from './MonitorList';
import type { MonthEstimate } from './MonthEstimate';
import type { Prefs } from './Prefs';
import type { Reminder } from './Reminder';
import type { RequestDetail } from './RequestDetail';
import type { RevokeProgress } from './RevokeProgress';
import type { RevokeResult } from './RevokeResult';
import type { Rotation } from './Rotation';
import type { RunDetails } from './RunDetails';
import type { RunOutcome } from './RunOutcome';
import type { RunRecord } from './RunRecord';
import type { SaveOutcome } from './SaveOutcome';
import type { SaveProgressEvent } from './SaveProgressEvent';
import type { SchedulePreview } from './SchedulePreview';
import type { SecretFormatView } from './SecretFormatView';
import type { ShareText } from './ShareText';
import type { ShareTexts } from './ShareTexts';
import type { ShareView } from './ShareView';
import type { TextOutcome } from './TextOutcome';
import type { TreeNode } from './TreeNode';
import type { TryRequest } from './TryRequest';
import type { TryResult } from './TryResult';
import type { UpdateCheck } from './UpdateCheck';
import type { UpdateInstalled } from './UpdateInstalled';
import type { UpdateProgress } from './UpdateProgress';
import type { UsageSummary } from './UsageSummary';
import type { WorkspaceRow } from './WorkspaceRow';

/** Every command: its arguments (camelCase, as Tauri takes them) and its result. */
export type CommandMap = {
  /**
   * Version, data folder, platform, keychain and built-in sandbox status, and the
   * problems found at start.
   */
  app_info: { args: Record<string, never>; result: AppInfo };
  /**
   * The preferences (remembered workspace, notifications, reminder days, theme).
   */
  prefs_get: { args: Record<string, never>; result: Prefs };
  /**
   * Replaces the preferences; returns them as stored.
   */
  prefs_set: { args: { prefs: Prefs }; result: Prefs };
  /**
   * Looks for a newer version of Postdesk (`manual: false`: the automatic check after
   * start, made at most once a day). A failure is an answer: one sentence.
   */
  app_check_update: { args: { manual: boolean }; result: UpdateCheck };
  /**
   * Downloads the newer version, verifies its signature against Postdesk's key and
   * installs it; progress arrives as `update-progress` events. It runs after a restart.
   */
  app_install_update: { args: Record<string, never>; result: UpdateInstalled };
  /**
   * Restarts Postdesk (after an update was installed, when the user agrees).
   */
  app_restart: { args: Record<string, never>; result: null };
  /**
   * The active key (names and last 4 only), or the built-in sandbox's user.
   */
  engine_active_key: { args: Record<string, never>; result: ActiveKey | null };
  /**
   * The header meters as of now.
   */
  engine_meters: { args: Record<string, never>; result: Meters };
  /**
   * `/me` through the engine (from the cache unless `force`) and the Usage figures.
   */
  engine_usage: { args: { force: boolean }; result: UsageSummary };
  /**
   * The activity log, newest first.
   */
  engine_activity: { args: Record<string, never>; result: Array<ActivityRow> };
  /**
   * Saves the activity log where the user chooses (the OS save dialog); the path, `null`
   * when they cancelled.
   */
  engine_export_activity: { args: { format: ExportFormat }; result: string | null };
  /**
   * The user's API keys, oldest first.
   */
  keys_list: { args: Record<string, never>; result: Array<KeyView> };
  /**
   * Adds a pasted key (it crosses IPC once and never comes back): verified with `/me`,
   * kept in the OS keychain. Becomes active if none is.
   */
  keys_add: { args: { request: AddKey }; result: KeyView };
  /**
   * Checks a key again with `/me`.
   */
  keys_verify: { args: { id: string }; result: KeyView };
  keys_rename: { args: { id: string; name: string }; result: KeyView };
  /**
   * Sets (`YYYY-MM-DD`) or clears the expiry date; reminders start over.
   */
  keys_set_expiry: { args: { id: string; expiresOn: string | null }; result: KeyView };
  /**
   * Makes a key active (`null`: the built-in sandbox).
   */
  keys_set_active: { args: { id: string | null }; result: ActiveKey | null };
  /**
   * Replaces a key with a newer key of the same account.
   */
  keys_rotate: { args: { oldId: string; replacement: AddKey }; result: Rotation };
  keys_delete: { args: { id: string }; result: null };
  /**
   * The expiry reminders given in this session and not dismissed.
   */
  keys_due_reminders: { args: Record<string, never>; result: Array<Reminder> };
  keys_dismiss_reminder: { args: { keyId: string; days: number }; result: null };
  /**
   * Opens Postman's API-keys page in the system browser.
   */
  keys_open_postman: { args: Record<string, never>; result: null };
  /**
   * Unsaved drafts kept on disk (without their contents).
   */
  library_drafts: { args: Record<string, never>; result: DraftsOverview };
  library_workspaces: { args: { force: boolean }; result: Listed<WorkspaceRow> };
  /**
   * The collections of a workspace (`null`: all the key can see) in name order, as
   * columns, and where the list comes from.
   */
  library_collections: { args: { workspace: string | null; force: boolean }; result: CollectionColumns };
  /**
   * Opens a collection (its working copy stays in Rust): the tree outline and info.
   */
  library_open_collection: { args: { uid: string; force: boolean }; result: CollectionView };
  /**
   * One edit of the open collection, stored as a draft before it answers.
   */
  library_edit_collection: { args: { uid: string; edit: CollectionEdit }; result: CollectionView };
  /**
   * One request of the open collection (`path`: a tree row key like `0/3/2`).
   */
  library_collection_item: { args: { uid: string; path: string }; result: RequestDetail };
  /**
   * The items of one folder of the open collection, when its view did not carry them
   * (a large tree comes in parts: `childCount` without `children`).
   */
  library_collection_folder: { args: { uid: string; path: string }; result: Array<TreeNode> };
  /**
   * The open collection as pretty JSON (raw mode).
   */
  library_collection_text: { args: { uid: string }; result: string };
  /**
   * Replaces the open collection with edited JSON when valid; otherwise its errors.
   */
  library_set_collection_text: { args: { uid: string; text: string }; result: TextOutcome };
  /**
   * Empty (`name`) or imported (`import`: a v2.1 file's text).
   */
  library_create_collection: { args: { workspace: string | null; name: string | null; import: string | null }; result: Created };
  library_duplicate_collection: { args: { uid: string; workspace: string | null }; result: Created };
  /**
   * Imports a collection file the user picks in the OS open dialog (Rust reads it; the
   * webview never sees the file); `null` when they cancelled.
   */
  library_import_collection_file: { args: { workspace: string | null }; result: Created | null };
  /**
   * Saves `<name>.postman_collection.json` where the user chooses (the OS save dialog);
   * the path, `null` when they cancelled.
   */
  library_export_collection: { args: { uid: string }; result: string | null };
  /**
   * Deletes only when `confirm_name` is the collection's name on the server.
   */
  library_delete_collection: { args: { uid: string; confirmName: string }; result: null };
  library_environments: { args: { workspace: string | null; force: boolean }; result: Listed<EnvironmentRow> };
  library_open_environment: { args: { id: string; force: boolean }; result: EnvironmentView };
  /**
   * The whole table and the name, stored as a draft before it answers.
   */
  library_edit_environment: { args: { id: string; name: string; values: Array<EnvVariable> }; result: EnvironmentView };
  library_create_environment: { args: { workspace: string | null; name: string | null; import: string | null }; result: Created };
  /**
   * Imports an environment file the user picks in the OS open dialog; `null` when they
   * cancelled.
   */
  library_import_environment_file: { args: { workspace: string | null }; result: Created | null };
  /**
   * Saves `<name>.postman_environment.json` where the user chooses; the path, `null`
   * when they cancelled.
   */
  library_export_environment: { args: { id: string }; result: string | null };
  library_delete_environment: { args: { id: string; confirmName: string }; result: null };
  /**
   * Saves the draft (`overwrite`: keep mine after a conflict); progress arrives as
   * `save-progress` events.
   */
  library_save: { args: { kind: DraftKind; id: string; overwrite: boolean }; result: SaveOutcome };
  /**
   * Throws the unsaved edit away.
   */
  library_discard: { args: { kind: DraftKind; id: string }; result: null };
  /**
   * Frees the working copy of a document without unsaved changes.
   */
  library_close: { args: { kind: DraftKind; id: string }; result: null };
  /**
   * One page of access keys (of one collection when `collection` is a uid).
   */
  sharing_page: { args: { collection: string | null; cursor: string | null; force: boolean }; result: AccessKeyPageView };
  /**
   * Revokes each key once, paced; progress arrives as `revoke-progress` events.
   */
  sharing_revoke: { args: { ids: Array<string> }; result: Array<RevokeResult> };
  /**
   * A pasted `PMAT-` token (it crosses IPC once): verified, kept in the keychain.
   */
  sharing_add_token: { args: { uid: string; token: string }; result: ShareView };
  /**
   * Built-in sandbox only: makes a key as Postman's Share → Via API dialog does.
   */
  sharing_mint: { args: { uid: string }; result: ShareView };
  /**
   * The masked link / newman / curl texts of a key whose token is kept.
   */
  sharing_texts: { args: { keyId: string; uid: string }; result: ShareTexts };
  /**
   * Rust writes the real link or command to the clipboard (marked sensitive, cleared
   * after a minute if unchanged).
   */
  sharing_copy: { args: { keyId: string; uid: string; what: ShareText }; result: Copied };
  /**
   * Opens the collection in Postman's web app.
   */
  sharing_open_postman: { args: { uid: string }; result: null };
  /**
   * The monitors of a workspace (`null`: all the key can see) with their schedules in
   * words, last runs and what the kept history says; every last run seen is stored.
   */
  monitors_list: { args: { workspace: string | null; force: boolean }; result: MonitorList };
  /**
   * Runs a monitor now and stores the result (a run that outlasts the API's wait is
   * followed through `lastRun`).
   */
  monitors_run: { args: { id: string }; result: RunOutcome };
  /**
   * Reads the API's run history of a monitor and stores what is new; how many runs.
   */
  monitors_refresh_history: { args: { id: string }; result: number };
  /**
   * A page of a monitor's stored runs, newest first (`before`: epoch ms of the last
   * one shown).
   */
  monitors_runs: { args: { id: string; before: number | null }; result: Array<RunRecord> };
  /**
   * One stored run's requests and assertions (`null`: only its summary is kept).
   */
  monitors_run_details: { args: { id: string; jobId: string }; result: RunDetails | null };
  /**
   * The schedule builder's preview: the pattern in words and the next five runs.
   */
  monitors_schedule_preview: { args: { cron: string; timezone: string }; result: SchedulePreview };
  /**
   * What the active schedules of every monitor the key can see add to this month's
   * `monitor_request_runs`, beside its usage and limit (the Usage view).
   */
  monitors_month_estimate: { args: Record<string, never>; result: MonthEstimate };
  /**
   * Creates a monitor; its id.
   */
  monitors_create: { args: { workspace: string | null; input: MonitorInput }; result: string };
  /**
   * Changes a monitor (pause and resume: `active`); collection and environment stay.
   */
  monitors_update: { args: { id: string; input: MonitorInput }; result: null };
  /**
   * Deletes only when `confirm_name` is the monitor's name; its history goes too.
   */
  monitors_delete: { args: { id: string; confirmName: string }; result: null };
  /**
   * Saves the stored history (`name`: the monitor's, for the file name) where the user
   * chooses; the path, `null` when they cancelled.
   */
  monitors_export: { args: { id: string; name: string; format: ExportFormat }; result: string | null };
  /**
   * The mocks of a workspace (`null`: the key's own) with their collection and
   * environment names, access, active error and this month's kept calls.
   */
  mocks_list: { args: { workspace: string | null; force: boolean }; result: MockList };
  /**
   * Creates a mock of a collection; its id. Delay and matching options only where
   * they can be set (the built-in sandbox).
   */
  mocks_create: { args: { workspace: string | null; input: MockInput }; result: string };
  /**
   * Changes a mock's name, collection, environment, access (and options, as above).
   */
  mocks_update: { args: { id: string; input: MockInput }; result: null };
  /**
   * Deletes only when `confirm_name` is the mock's name; its kept call log goes too.
   */
  mocks_delete: { args: { id: string; confirmName: string }; result: null };
  /**
   * Rust writes the URL of a mock (or a local mock: its `local-<port>` id) to the
   * clipboard (not a secret: it stays there).
   */
  mocks_copy_url: { args: { id: string }; result: Copied };
  /**
   * Publishes (anyone with the URL may call it) or makes it private.
   */
  mocks_set_public: { args: { id: string; public: boolean }; result: null };
  /**
   * Sends a request to the mock from Rust (the API key added for a private one) and
   * names the example that answered.
   */
  mocks_try: { args: { id: string; request: TryRequest }; result: TryResult };
  /**
   * "Switch to errors": every call answers `status` (500–599); `null`: back to the
   * examples.
   */
  mocks_set_errors: { args: { id: string; status: number | null }; result: null };
  /**
   * Reads the API's call log of a mock and keeps what is new; how many calls.
   */
  mocks_refresh_calls: { args: { id: string }; result: number };
  /**
   * The kept calls of a mock or a local mock, newest first, filtered.
   */
  mocks_calls: { args: { id: string; filter: CallFilter }; result: Array<CallRow> };
  /**
   * One kept call's headers and bodies (`null`: only its summary is kept).
   */
  mocks_call_details: { args: { id: string; callId: string }; result: CallDetails | null };
  /**
   * Saves the kept call log (`name`: the mock's, for the file name) where the user
   * chooses; the path, `null` when they cancelled.
   */
  mocks_export_calls: { args: { id: string; name: string; format: ExportFormat }; result: string | null };
  /**
   * Serves a collection of the account on a local port (offline, no `mock_usage`).
   */
  mocks_local_start: { args: { start: LocalStart }; result: LocalMock };
  /**
   * Stops a local mock.
   */
  mocks_local_stop: { args: { id: string }; result: null };
  /**
   * The local mocks running now.
   */
  mocks_local_list: { args: Record<string, never>; result: Array<LocalMock> };
};

export type CommandName = keyof CommandMap;

export const COMMAND_NAMES: readonly CommandName[] = [
  'app_info',
  'prefs_get',
  'prefs_set',
  'app_check_update',
  'app_install_update',
  'app_restart',
  'engine_active_key',
  'engine_meters',
  'engine_usage',
  'engine_activity',
  'engine_export_activity',
  'keys_list',
  'keys_add',
  'keys_verify',
  'keys_rename',
  'keys_set_expiry',
  'keys_set_active',
  'keys_rotate',
  'keys_delete',
  'keys_due_reminders',
  'keys_dismiss_reminder',
  'keys_open_postman',
  'library_drafts',
  'library_workspaces',
  'library_collections',
  'library_open_collection',
  'library_edit_collection',
  'library_collection_item',
  'library_collection_folder',
  'library_collection_text',
  'library_set_collection_text',
  'library_create_collection',
  'library_duplicate_collection',
  'library_import_collection_file',
  'library_export_collection',
  'library_delete_collection',
  'library_environments',
  'library_open_environment',
  'library_edit_environment',
  'library_create_environment',
  'library_import_environment_file',
  'library_export_environment',
  'library_delete_environment',
  'library_save',
  'library_discard',
  'library_close',
  'sharing_page',
  'sharing_revoke',
  'sharing_add_token',
  'sharing_mint',
  'sharing_texts',
  'sharing_copy',
  'sharing_open_postman',
  'monitors_list',
  'monitors_run',
  'monitors_refresh_history',
  'monitors_runs',
  'monitors_run_details',
  'monitors_schedule_preview',
  'monitors_month_estimate',
  'monitors_create',
  'monitors_update',
  'monitors_delete',
  'monitors_export',
  'mocks_list',
  'mocks_create',
  'mocks_update',
  'mocks_delete',
  'mocks_copy_url',
  'mocks_set_public',
  'mocks_try',
  'mocks_set_errors',
  'mocks_refresh_calls',
  'mocks_calls',
  'mocks_call_details',
  'mocks_export_calls',
  'mocks_local_start',
  'mocks_local_stop',
  'mocks_local_list',
];

/** Every event Rust sends, by name, with its payload. */
export type EventMap = {
  'meters': Meters;
  'save-progress': SaveProgressEvent;
  'revoke-progress': RevokeProgress;
  'update-progress': UpdateProgress;
};

export type EventName = keyof EventMap;

/** The formats of Postman's API keys and access tokens, as Rust checks them. */
export const SECRET_FORMATS: { apiKey: SecretFormatView; accessToken: SecretFormatView } = { apiKey: {"name":"Postman API key","prefix":"PMAK-","groups":[24,34],"alphabet":"hex","maxPaste":200}, accessToken: {"name":"collection access key","prefix":"PMAT-","groups":[26],"alphabet":"base32","maxPaste":200} };
/** The regions a monitor may run in (`distribution[].region`). */
export const MONITOR_REGIONS: readonly string[] = ["us-east","us-west","ap-southeast","ca-central","eu-central","sa-east","uk","us-east-staticip","us-west-staticip"];
