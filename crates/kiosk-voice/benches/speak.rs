//! Time from a request to the first audible sample of a spoken step, with the real espeak-ng:
//! synthesis time (request → WAV in memory) plus the silence before the first sound. Prints
//! figures; run with `cargo bench -p kiosk-voice`.

use std::time::Instant;

use kiosk_voice::{Language, Speaker};

fn main() {
    let speaker = Speaker::from_env();
    let prompts = [
        "欢迎使用自助登记。请点要办理的业务。",
        "第二步，共五步：本人信息。请填写姓名、证件号码和手机号码，填好后请点下一步。",
        "第3题，共9题：手机号码。请用屏幕键盘输入，输好后请点下一题。",
        "还需要更多时间吗？需要的话，请点需要。",
    ];
    let mut totals = Vec::new();
    for round in 0..5 {
        for prompt in prompts {
            let start = Instant::now();
            let wav = match speaker.speak(prompt, Language::Mandarin, 140) {
                Ok(wav) => wav,
                Err(error) => {
                    eprintln!("speech failed: {error}");
                    std::process::exit(1);
                }
            };
            let made = start.elapsed().as_secs_f64() * 1000.0;
            let silence = wav.first_sound_ms(300).unwrap_or(0) as f64;
            if round > 0 {
                totals.push(made + silence);
            }
            if round == 4 {
                println!(
                    "{:>6.1} ms synthesis + {:>4.0} ms leading silence = {:>6.1} ms to first sound ({} ms audio): {prompt}",
                    made,
                    silence,
                    made + silence,
                    wav.duration_ms()
                );
            }
        }
    }
    totals.sort_by(f64::total_cmp);
    let median = totals[totals.len() / 2];
    let worst = totals[totals.len() - 1];
    println!(
        "request to first sound over {} runs: median {median:.1} ms, worst {worst:.1} ms",
        totals.len()
    );
}
