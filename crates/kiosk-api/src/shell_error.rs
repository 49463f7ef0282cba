//! The errors of the Tauri shell itself (`src-tauri`): a task that broke off, a state the app
//! lost, an update key a release must not trust. The shell may import only kiosk-api, so its
//! codes are declared here, where the error catalogue lists them.

kiosk_core::user_facing_errors! {
    /// What can go wrong in the shell around a command, before or after kiosk-api runs it.
    pub enum ShellError {
        /// A command's blocking task panicked or was cancelled.
        CommandTaskFailed = "COMMAND_TASK_FAILED" {
            zh: "终端处理请求时意外中断，请重试；如仍失败请联系工作人员。",
            en: "The kiosk stopped handling the request unexpectedly. Try again; ask staff if it happens again."
        },
        /// The capture state (tray, devices) is not registered with the app.
        CaptureStateBroken = "CAPTURE_STATE_BROKEN" {
            zh: "终端的采集状态出错。请重启终端。",
            en: "The kiosk's capture state is broken. Restart the kiosk."
        },
        /// The input method is not registered with the app.
        ImeStateBroken = "IME_STATE_BROKEN" {
            zh: "终端的输入法状态出错。请重启终端。",
            en: "The kiosk's input method state is broken. Restart the kiosk."
        },
        /// The input method's blocking task panicked or was cancelled.
        ImeTaskFailed = "IME_TASK_FAILED" {
            zh: "输入法意外中断，请重试。",
            en: "The input method stopped unexpectedly. Try again."
        },
        /// The sign-in state's lock is poisoned.
        SessionStateBroken = "SESSION_STATE_BROKEN" {
            zh: "终端的登录状态出错。请重启终端后重新登录。",
            en: "The kiosk's sign-in state is broken. Restart the kiosk and sign in again."
        },
        /// Voice synthesis's blocking task panicked or was cancelled.
        VoiceTaskFailed = "VOICE_TASK_FAILED" {
            zh: "语音播报意外中断。请再点一次“朗读”，或阅读屏幕上的文字。",
            en: "Voice guidance stopped unexpectedly. Tap \"Read aloud\" again, or read the screen."
        },
        /// A release build trusts the development update key.
        UpdateDevelopmentKey = "UPDATE_DEVELOPMENT_KEY" {
            zh: "此版本信任的是开发用更新密钥，不能在终端上运行。请安装由发布密钥签名的正式版本（见 docs/release.md）。",
            en: "This build trusts the development update key and must not run on a kiosk. Install a release built with the release key (docs/release.md)."
        },
        /// A release build has no usable update public key.
        UpdateKeyInvalid = "UPDATE_KEY_INVALID" {
            zh: "此版本的更新公钥缺失或格式错误，不能运行。请安装正式版本。",
            en: "This build's update public key is missing or malformed; it must not run. Install a proper release."
        },
    }
}
