//! The HTTP gateway provider: POSTs each message as JSON to an SMS gateway's REST URL.
//!
//! The body comes from a template in which `{phone}`, `{text}`, `{code}` and `{purpose}` are
//! replaced by the JSON-escaped values (default `{"to":"{phone}","text":"{text}"}`). A token,
//! if configured, goes in `Authorization: Bearer <token>` or in a header of the operator's
//! choice. Any answer other than 2xx, or none within the timeout (5 s by default), is a
//! failed delivery.

use std::time::Duration;

use super::provider::{Delivery, DeliveryError, SmsMessage, SmsProvider};

/// The default body template.
pub const DEFAULT_TEMPLATE: &str = r#"{"to":"{phone}","text":"{text}"}"#;

/// The default time a gateway has to answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How to reach the gateway.
#[derive(Clone)]
pub struct HttpGatewayConfig {
    /// The REST URL messages are POSTed to (`http://` or `https://`).
    pub url: String,
    /// A secret token, if the gateway wants one.
    pub token: Option<String>,
    /// The header carrying the token as is; `None` sends `Authorization: Bearer <token>`.
    pub token_header: Option<String>,
    /// The JSON body template.
    pub template: String,
    /// How long the gateway has to answer.
    pub timeout: Duration,
}

/// Never prints the token.
impl std::fmt::Debug for HttpGatewayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpGatewayConfig")
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("token_header", &self.token_header)
            .field("template", &self.template)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl HttpGatewayConfig {
    /// A gateway at `url` with the default template, no token and a 5 s timeout.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            token: None,
            token_header: None,
            template: DEFAULT_TEMPLATE.into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// The text of `value` as it goes between the quotes of a JSON string.
fn json_escaped(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// Fills the template in one pass (a value containing `{code}` is not expanded again).
pub fn render(template: &str, message: &SmsMessage) -> String {
    let fields = [
        ("{phone}", message.to.as_str()),
        ("{text}", message.text.as_str()),
        ("{code}", message.code.as_str()),
        ("{purpose}", message.purpose.as_str()),
    ];
    let mut out = String::with_capacity(template.len() + message.text.len());
    let mut rest = template;
    'scan: while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        for (name, value) in fields {
            if let Some(after) = tail.strip_prefix(name) {
                out.push_str(&json_escaped(value));
                rest = after;
                continue 'scan;
            }
        }
        out.push('{');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// The HTTP gateway provider.
#[derive(Debug)]
pub struct HttpGateway {
    config: HttpGatewayConfig,
    client: reqwest::Client,
}

impl HttpGateway {
    /// Checks the configuration (URL scheme, a template that renders to JSON, a token header
    /// name that is a valid header) and builds the client.
    pub fn new(config: HttpGatewayConfig) -> Result<Self, String> {
        let url = reqwest::Url::parse(&config.url)
            .map_err(|e| format!("SMS gateway URL {:?}: {e}", config.url))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "SMS gateway URL {:?}: only http and https are supported",
                config.url
            ));
        }
        let sample = SmsMessage {
            to: "+85291234567".into(),
            text: "【通办】\"quoted\" {code} \\ 验证码".into(),
            code: "123456".into(),
            purpose: "register".into(),
            at: 0,
        };
        serde_json::from_str::<serde_json::Value>(&render(&config.template, &sample))
            .map_err(|e| format!("SMS gateway template does not render to JSON: {e}"))?;
        if let Some(name) = &config.token_header {
            reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("SMS gateway token header {name:?} is not a header name"))?;
        }
        // reqwest needs a rustls crypto provider; an error means one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|e| format!("SMS gateway client: {e}"))?;
        Ok(Self { config, client })
    }
}

impl SmsProvider for HttpGateway {
    fn deliver<'a>(&'a self, message: &'a SmsMessage) -> Delivery<'a> {
        Box::pin(async move {
            let body = render(&self.config.template, message);
            let mut request = self
                .client
                .post(&self.config.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
            if let Some(token) = &self.config.token {
                request = match &self.config.token_header {
                    Some(name) => request.header(name.as_str(), token.as_str()),
                    None => request.bearer_auth(token),
                };
            }
            let response = request.send().await.map_err(|e| {
                // reqwest's text may include the URL, never the body.
                let kind = if e.is_timeout() {
                    "timed out"
                } else if e.is_connect() {
                    "connection failed"
                } else {
                    "request failed"
                };
                DeliveryError::GatewayUnreachable(kind.into())
            })?;
            let status = response.status();
            if status.is_success() {
                Ok(())
            } else {
                Err(DeliveryError::GatewayStatus(status.as_u16()))
            }
        })
    }

    fn name(&self) -> &'static str {
        "http"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> SmsMessage {
        SmsMessage {
            to: "13800138000".into(),
            text: text.into(),
            code: "042042".into(),
            purpose: "verify-later".into(),
            at: 1,
        }
    }

    #[test]
    fn templates_fill_escaped_values_once() {
        let body = render(DEFAULT_TEMPLATE, &message("说 \"你好\" {code}\n"));
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["to"], "13800138000");
        assert_eq!(
            json["text"], "说 \"你好\" {code}\n",
            "quotes escaped, a placeholder inside a value left alone"
        );
        let custom = render(
            r#"{"mobile":"{phone}","sign":"通办","params":["{code}"],"kind":"{purpose}","x":"{other}"}"#,
            &message("t"),
        );
        let json: serde_json::Value = serde_json::from_str(&custom).unwrap();
        assert_eq!(json["params"][0], "042042");
        assert_eq!(json["kind"], "verify-later");
        assert_eq!(json["x"], "{other}", "unknown placeholders stay as written");
    }

    #[test]
    fn bad_configurations_are_refused_at_start() {
        assert!(HttpGateway::new(HttpGatewayConfig::new("ftp://gw.example/send")).is_err());
        assert!(HttpGateway::new(HttpGatewayConfig::new("not a url")).is_err());
        let mut broken = HttpGatewayConfig::new("http://127.0.0.1:9/send");
        broken.template = r#"{"to":{phone}}"#.into();
        assert!(HttpGateway::new(broken).is_err(), "renders to invalid JSON");
        let mut header = HttpGatewayConfig::new("http://127.0.0.1:9/send");
        header.token_header = Some("bad header".into());
        assert!(HttpGateway::new(header).is_err());
        let mut secret = HttpGatewayConfig::new("http://127.0.0.1:9/send");
        secret.token = Some("s3cr3t-token".into());
        assert!(
            !format!("{secret:?}").contains("s3cr3t"),
            "Debug hides the token"
        );
        assert!(HttpGateway::new(secret).is_ok());
    }
}
