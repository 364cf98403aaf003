//! Declares the app's own commands, so that capabilities can grant exactly these and nothing
//! else (Tauri generates an `allow-<command>` permission for each).

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
        "app_status",
        "save_settings",
        "create_vault",
        "unlock_vault",
        "lock_vault",
        "note_activity",
        "change_passphrase",
        "dashboard",
        "list_records",
        "get_record",
        "add_record",
        "update_record",
        "delete_record",
        "link_records",
        "unlink_records",
        "vocabularies",
        "hearings_calendar",
        "case_timeline",
    ])))
    .expect("tauri build script");
}
