// The one list of Postdesk's commands: the only place a command's name is written by hand.
//
// `postdesk_commands!(callback)` calls `callback!` with every command as
// `/// docs  name(arg: Type, …) -> Result;`. From it are generated: the use-case trait the core
// implements (`postdesk_core::contract::Commands`, so a missing body fails to compile), the
// TypeScript client's types (`ui/src/bindings/Commands.ts`), the Tauri handlers and the
// runtime capability (`src-tauri/commands`), and the allow-list (`src-tauri/build.rs` includes
// this file). Adding a command is one line here plus its body in the core. Every command is
// async and runs off the main thread; every error is an `IpcError`.
//
// This file holds nothing but the macro, so that build.rs can `include!` it.

#[macro_export]
macro_rules! postdesk_commands {
    ($callback:ident) => {
        $callback! {
            // ---- the app ----
            /// Version, data folder, platform, keychain and built-in sandbox status, and the
            /// problems found at start.
            app_info() -> AppInfo;
            /// The preferences (remembered workspace, notifications, reminder days, theme).
            prefs_get() -> Prefs;
            /// Replaces the preferences; returns them as stored.
            prefs_set(prefs: Prefs) -> Prefs;
            /// Looks for a newer version of Postdesk (`manual: false`: the automatic check after
            /// start, made at most once a day). A failure is an answer: one sentence.
            app_check_update(manual: bool) -> UpdateCheck;
            /// Downloads the newer version, verifies its signature against Postdesk's key and
            /// installs it; progress arrives as `update-progress` events. It runs after a restart.
            app_install_update() -> UpdateInstalled;
            /// Restarts Postdesk (after an update was installed, when the user agrees).
            app_restart() -> ();

            // ---- engine: the active client, meters, usage, activity ----
            /// The active key (names and last 4 only), or the built-in sandbox's user.
            engine_active_key() -> Option<ActiveKey>;
            /// The header meters as of now.
            engine_meters() -> Meters;
            /// `/me` through the engine (from the cache unless `force`) and the Usage figures.
            engine_usage(force: bool) -> UsageSummary;
            /// The activity log, newest first.
            engine_activity() -> Vec<ActivityRow>;
            /// Saves the activity log where the user chooses (the OS save dialog); the path, `null`
            /// when they cancelled.
            engine_export_activity(format: ExportFormat) -> Option<String>;

            // ---- keys ----
            /// The user's API keys, oldest first.
            keys_list() -> Vec<KeyView>;
            /// Adds a pasted key (it crosses IPC once and never comes back): verified with `/me`,
            /// kept in the OS keychain. Becomes active if none is.
            keys_add(request: AddKey) -> KeyView;
            /// Checks a key again with `/me`.
            keys_verify(id: String) -> KeyView;
            keys_rename(id: String, name: String) -> KeyView;
            /// Sets (`YYYY-MM-DD`) or clears the expiry date; reminders start over.
            keys_set_expiry(id: String, expires_on: Option<String>) -> KeyView;
            /// Makes a key active (`null`: the built-in sandbox).
            keys_set_active(id: Option<String>) -> Option<ActiveKey>;
            /// Replaces a key with a newer key of the same account.
            keys_rotate(old_id: String, replacement: AddKey) -> Rotation;
            keys_delete(id: String) -> ();
            /// The expiry reminders given in this session and not dismissed.
            keys_due_reminders() -> Vec<Reminder>;
            keys_dismiss_reminder(key_id: String, days: i32) -> ();
            /// Opens Postman's API-keys page in the system browser.
            keys_open_postman() -> ();

            // ---- library: collections and environments ----
            /// Unsaved drafts kept on disk (without their contents).
            library_drafts() -> DraftsOverview;
            library_workspaces(force: bool) -> Listed<WorkspaceRow>;
            /// The collections of a workspace (`null`: all the key can see) in name order, as
            /// columns, and where the list comes from.
            library_collections(workspace: Option<String>, force: bool) -> CollectionColumns;
            /// Opens a collection (its working copy stays in Rust): the tree outline and info.
            library_open_collection(uid: String, force: bool) -> CollectionView;
            /// One edit of the open collection, stored as a draft before it answers.
            library_edit_collection(uid: String, edit: CollectionEdit) -> CollectionView;
            /// One request of the open collection (`path`: a tree row key like `0/3/2`).
            library_collection_item(uid: String, path: String) -> RequestDetail;
            /// The items of one folder of the open collection, when its view did not carry them
            /// (a large tree comes in parts: `childCount` without `children`).
            library_collection_folder(uid: String, path: String) -> Vec<TreeNode>;
            /// The open collection as pretty JSON (raw mode).
            library_collection_text(uid: String) -> String;
            /// Replaces the open collection with edited JSON when valid; otherwise its errors.
            library_set_collection_text(uid: String, text: String) -> TextOutcome;
            /// Empty (`name`) or imported (`import`: a v2.1 file's text).
            library_create_collection(
                workspace: Option<String>,
                name: Option<String>,
                import: Option<String>
            ) -> Created;
            library_duplicate_collection(uid: String, workspace: Option<String>) -> Created;
            /// Imports a collection file the user picks in the OS open dialog (Rust reads it; the
            /// webview never sees the file); `null` when they cancelled.
            library_import_collection_file(workspace: Option<String>) -> Option<Created>;
            /// Saves `<name>.postman_collection.json` where the user chooses (the OS save dialog);
            /// the path, `null` when they cancelled.
            library_export_collection(uid: String) -> Option<String>;
            /// Deletes only when `confirm_name` is the collection's name on the server.
            library_delete_collection(uid: String, confirm_name: String) -> ();
            library_environments(workspace: Option<String>, force: bool) -> Listed<EnvironmentRow>;
            library_open_environment(id: String, force: bool) -> EnvironmentView;
            /// The whole table and the name, stored as a draft before it answers.
            library_edit_environment(
                id: String,
                name: String,
                values: Vec<EnvVariable>
            ) -> EnvironmentView;
            library_create_environment(
                workspace: Option<String>,
                name: Option<String>,
                import: Option<String>
            ) -> Created;
            /// Imports an environment file the user picks in the OS open dialog; `null` when they
            /// cancelled.
            library_import_environment_file(workspace: Option<String>) -> Option<Created>;
            /// Saves `<name>.postman_environment.json` where the user chooses; the path, `null`
            /// when they cancelled.
            library_export_environment(id: String) -> Option<String>;
            library_delete_environment(id: String, confirm_name: String) -> ();
            /// Saves the draft (`overwrite`: keep mine after a conflict); progress arrives as
            /// `save-progress` events.
            library_save(kind: DraftKind, id: String, overwrite: bool) -> SaveOutcome;
            /// Throws the unsaved edit away.
            library_discard(kind: DraftKind, id: String) -> ();
            /// Frees the working copy of a document without unsaved changes.
            library_close(kind: DraftKind, id: String) -> ();

            // ---- sharing: collection access keys ----
            /// One page of access keys (of one collection when `collection` is a uid).
            sharing_page(
                collection: Option<String>,
                cursor: Option<String>,
                force: bool
            ) -> AccessKeyPageView;
            /// Revokes each key once, paced; progress arrives as `revoke-progress` events.
            sharing_revoke(ids: Vec<String>) -> Vec<RevokeResult>;
            /// A pasted `PMAT-` token (it crosses IPC once): verified, kept in the keychain.
            sharing_add_token(uid: String, token: Secret) -> ShareView;
            /// Built-in sandbox only: makes a key as Postman's Share → Via API dialog does.
            sharing_mint(uid: String) -> ShareView;
            /// The masked link / newman / curl texts of a key whose token is kept.
            sharing_texts(key_id: String, uid: String) -> ShareTexts;
            /// Rust writes the real link or command to the clipboard (marked sensitive, cleared
            /// after a minute if unchanged).
            sharing_copy(key_id: String, uid: String, what: ShareText) -> Copied;
            /// Opens the collection in Postman's web app.
            sharing_open_postman(uid: String) -> ();

            // ---- monitors ----
            /// The monitors of a workspace (`null`: all the key can see) with their schedules in
            /// words, last runs and what the kept history says; every last run seen is stored.
            monitors_list(workspace: Option<String>, force: bool) -> MonitorList;
            /// Runs a monitor now and stores the result (a run that outlasts the API's wait is
            /// followed through `lastRun`).
            monitors_run(id: String) -> RunOutcome;
            /// Reads the API's run history of a monitor and stores what is new; how many runs.
            monitors_refresh_history(id: String) -> u32;
            /// A page of a monitor's stored runs, newest first (`before`: epoch ms of the last
            /// one shown).
            monitors_runs(id: String, before: Option<f64>) -> Vec<RunRecord>;
            /// One stored run's requests and assertions (`null`: only its summary is kept).
            monitors_run_details(id: String, job_id: String) -> Option<RunDetails>;
            /// The schedule builder's preview: the pattern in words and the next five runs.
            monitors_schedule_preview(cron: String, timezone: String) -> SchedulePreview;
            /// What the active schedules of every monitor the key can see add to this month's
            /// `monitor_request_runs`, beside its usage and limit (the Usage view).
            monitors_month_estimate() -> MonthEstimate;
            /// Creates a monitor; its id.
            monitors_create(workspace: Option<String>, input: MonitorInput) -> String;
            /// Changes a monitor (pause and resume: `active`); collection and environment stay.
            monitors_update(id: String, input: MonitorInput) -> ();
            /// Deletes only when `confirm_name` is the monitor's name; its history goes too.
            monitors_delete(id: String, confirm_name: String) -> ();
            /// Saves the stored history (`name`: the monitor's, for the file name) where the user
            /// chooses; the path, `null` when they cancelled.
            monitors_export(id: String, name: String, format: ExportFormat) -> Option<String>;

            // ---- mock servers ----
            /// The mocks of a workspace (`null`: the key's own) with their collection and
            /// environment names, access, active error and this month's kept calls.
            mocks_list(workspace: Option<String>, force: bool) -> MockList;
            /// Creates a mock of a collection; its id. Delay and matching options only where
            /// they can be set (the built-in sandbox).
            mocks_create(workspace: Option<String>, input: MockInput) -> String;
            /// Changes a mock's name, collection, environment, access (and options, as above).
            mocks_update(id: String, input: MockInput) -> ();
            /// Deletes only when `confirm_name` is the mock's name; its kept call log goes too.
            mocks_delete(id: String, confirm_name: String) -> ();
            /// Rust writes the URL of a mock (or a local mock: its `local-<port>` id) to the
            /// clipboard (not a secret: it stays there).
            mocks_copy_url(id: String) -> Copied;
            /// Publishes (anyone with the URL may call it) or makes it private.
            mocks_set_public(id: String, public: bool) -> ();
            /// Sends a request to the mock from Rust (the API key added for a private one) and
            /// names the example that answered.
            mocks_try(id: String, request: TryRequest) -> TryResult;
            /// "Switch to errors": every call answers `status` (500–599); `null`: back to the
            /// examples.
            mocks_set_errors(id: String, status: Option<u16>) -> ();
            /// Reads the API's call log of a mock and keeps what is new; how many calls.
            mocks_refresh_calls(id: String) -> u32;
            /// The kept calls of a mock or a local mock, newest first, filtered.
            mocks_calls(id: String, filter: CallFilter) -> Vec<CallRow>;
            /// One kept call's headers and bodies (`null`: only its summary is kept).
            mocks_call_details(id: String, call_id: String) -> Option<CallDetails>;
            /// Saves the kept call log (`name`: the mock's, for the file name) where the user
            /// chooses; the path, `null` when they cancelled.
            mocks_export_calls(id: String, name: String, format: ExportFormat) -> Option<String>;
            /// Serves a collection of the account on a local port (offline, no `mock_usage`).
            mocks_local_start(start: LocalStart) -> LocalMock;
            /// Stops a local mock.
            mocks_local_stop(id: String) -> ();
            /// The local mocks running now.
            mocks_local_list() -> Vec<LocalMock>;
        }
    };
}
