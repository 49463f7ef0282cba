//! Why no data directory could be chosen (code `DATA_DIR_UNKNOWN`).

kiosk_core::user_facing_errors! {
    /// Why no data directory could be chosen.
    pub enum ConfigError {
        /// No flag, no environment variable and no user data directory.
        DataDirUnknown = "DATA_DIR_UNKNOWN" {
            zh: "找不到用户数据目录。请用 --data-dir 或环境变量 KIOSK_DATA_DIR 指定数据目录。",
            en: "No user data directory was found. Pass --data-dir or set KIOSK_DATA_DIR."
        },
    }
}
