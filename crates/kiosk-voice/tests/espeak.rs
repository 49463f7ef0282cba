//! Speech through the real espeak-ng (Debian `espeak-ng`, installed by scripts/bootstrap):
//! the WAV is written to a file and read back, its length plausible for what was said.

use kiosk_voice::{Language, Speaker, Wav};

#[test]
fn a_mandarin_prompt_becomes_a_plausible_wav_file() {
    let speaker = Speaker::from_env();
    let text = "第二步，共五步：本人信息。请填写姓名和手机号码，填好后请点下一步。";
    let wav = speaker.speak(text, Language::Mandarin, 150).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("step.wav");
    std::fs::write(&path, wav.bytes()).unwrap();

    let read = Wav::parse(std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(read.channels(), 1);
    assert_eq!(read.bits_per_sample(), 16);
    assert!(read.sample_rate() >= 16_000, "{read:?}");
    // 33 syllables at 2-6 a second.
    let ms = read.duration_ms();
    assert!((5_000..=20_000).contains(&ms), "{ms} ms for 33 syllables");
    // Sound starts within the first half second (espeak pads little silence).
    let first = read.first_sound_ms(300).unwrap();
    assert!(first < 500, "first sound at {first} ms");
    // The header's sizes were set from the pipe's placeholders to the real ones.
    let b = read.bytes();
    assert_eq!(
        u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize,
        b.len() - 8
    );
}

#[test]
fn slower_pace_makes_longer_speech_and_english_works() {
    let speaker = Speaker::from_env();
    let text = "请把身份证放在读卡区。";
    let normal = speaker.speak(text, Language::Mandarin, 170).unwrap();
    let slow = speaker.speak(text, Language::Mandarin, 120).unwrap();
    assert!(slow.duration_ms() > normal.duration_ms() + 300);
    let english = speaker
        .speak("Place your ID card on the reader.", Language::English, 150)
        .unwrap();
    assert!(english.duration_ms() > 1_000);
}
