//! The webview gets no network of its own. The UI talks to Rust over IPC (a custom scheme that
//! never touches the network); the platform is reached by Rust, not by the page. WebKit still
//! opens connections on its own before the navigation guard answers: a speculative preconnect
//! (TCP, and the DNS lookup of the host, which alone can carry data out) while it waits for the
//! policy decision. Routing all of the webview's http(s) through a proxy address where nothing
//! listens stops those too. The dev server of a dev build stays reachable.

/// The proxy every http(s) connection of the webview is sent to: loopback port 1 (TCP port
/// service multiplexer), which nothing on a kiosk listens on.
pub const NO_PROXY_HERE: &str = "http://127.0.0.1:1";

/// Sends the webview's own http(s) traffic nowhere, except to `reachable` hosts (the dev server).
#[cfg(target_os = "linux")]
pub fn install(view: &webkit2gtk::WebView, reachable: &[&str]) {
    use webkit2gtk::{NetworkProxyMode, NetworkProxySettings, WebViewExt, WebsiteDataManagerExt};
    match view.website_data_manager() {
        Some(manager) => {
            let mut settings = NetworkProxySettings::new(Some(NO_PROXY_HERE), reachable);
            manager.set_network_proxy_settings(NetworkProxyMode::Custom, Some(&mut settings));
        }
        None => log::warn!("webview network not sealed: no website data manager"),
    }
}
