//! The WAV espeak-ng writes: its header read and, when it was streamed through a pipe (sizes
//! left at a placeholder), its sizes set to the bytes actually there. Never panics on any
//! input (property test).

use crate::VoiceError;

/// A PCM WAV in memory, its header checked.
#[derive(Clone, PartialEq, Eq)]
pub struct Wav {
    bytes: Vec<u8>,
    channels: u16,
    sample_rate: u32,
    bits_per_sample: u16,
    data_at: usize,
    data_len: usize,
}

impl std::fmt::Debug for Wav {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wav")
            .field("bytes", &self.bytes.len())
            .field("channels", &self.channels)
            .field("sample_rate", &self.sample_rate)
            .field("bits_per_sample", &self.bits_per_sample)
            .field("duration_ms", &self.duration_ms())
            .finish()
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl Wav {
    /// Reads a PCM WAV; a data chunk whose size runs past the end (a streamed header) is
    /// taken to end at the last whole sample, and the header is rewritten to say so.
    pub fn parse(mut bytes: Vec<u8>) -> Result<Self, VoiceError> {
        if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
            return Err(VoiceError::BadWav("not a RIFF/WAVE file"));
        }
        let mut at = 12usize;
        let mut format: Option<(u16, u16, u32, u16)> = None;
        loop {
            let id = bytes
                .get(at..at + 4)
                .ok_or(VoiceError::BadWav("no data chunk"))?;
            let size =
                u32_at(&bytes, at + 4).ok_or(VoiceError::BadWav("truncated chunk"))? as usize;
            let body = at + 8;
            if id == b"fmt " {
                let tag = u16_at(&bytes, body).ok_or(VoiceError::BadWav("short fmt chunk"))?;
                let channels =
                    u16_at(&bytes, body + 2).ok_or(VoiceError::BadWav("short fmt chunk"))?;
                let rate = u32_at(&bytes, body + 4).ok_or(VoiceError::BadWav("short fmt chunk"))?;
                let bits =
                    u16_at(&bytes, body + 14).ok_or(VoiceError::BadWav("short fmt chunk"))?;
                format = Some((tag, channels, rate, bits));
            } else if id == b"data" {
                let (tag, channels, sample_rate, bits_per_sample) =
                    format.ok_or(VoiceError::BadWav("data before fmt"))?;
                if tag != 1 || channels == 0 || sample_rate == 0 || bits_per_sample != 16 {
                    return Err(VoiceError::BadWav("not 16-bit PCM"));
                }
                let frame = usize::from(channels) * 2;
                let there = bytes.len().saturating_sub(body);
                let data_len = size.min(there) / frame * frame;
                if data_len != size {
                    // Streamed: the sizes were placeholders. Say what is really there.
                    bytes.truncate(body + data_len);
                    let riff = u32::try_from(bytes.len() - 8)
                        .map_err(|_| VoiceError::BadWav("too large"))?;
                    let data =
                        u32::try_from(data_len).map_err(|_| VoiceError::BadWav("too large"))?;
                    bytes[4..8].copy_from_slice(&riff.to_le_bytes());
                    bytes[at + 4..at + 8].copy_from_slice(&data.to_le_bytes());
                }
                return Ok(Self {
                    bytes,
                    channels,
                    sample_rate,
                    bits_per_sample,
                    data_at: body,
                    data_len,
                });
            }
            // Chunks are padded to an even size.
            at = body
                .checked_add(size + (size & 1))
                .ok_or(VoiceError::BadWav("chunk size overflows"))?;
        }
    }

    /// The whole file.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The whole file, taken.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Samples a second.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Channels (espeak-ng: 1).
    pub fn channels(&self) -> u16 {
        self.channels
    }

    /// Bits a sample (16).
    pub fn bits_per_sample(&self) -> u16 {
        self.bits_per_sample
    }

    /// How long it plays, in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        let frames = self.data_len as u64 / (u64::from(self.channels) * 2);
        frames * 1000 / u64::from(self.sample_rate)
    }

    /// Milliseconds from the start to the first sample louder than `threshold` (of 32767):
    /// when a listener first hears something. None when it stays quiet.
    pub fn first_sound_ms(&self, threshold: i16) -> Option<u64> {
        let data = self.bytes.get(self.data_at..self.data_at + self.data_len)?;
        let frame = usize::from(self.channels) * 2;
        data.chunks_exact(frame)
            .position(|f| {
                i16::from_le_bytes([f[0], f[1]]).unsigned_abs() > threshold.unsigned_abs()
            })
            .map(|i| i as u64 * 1000 / u64::from(self.sample_rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wav(samples: &[i16], rate: u32, data_size: u32) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&0x7fff_f000u32.to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&rate.to_le_bytes());
        b.extend_from_slice(&(rate * 2).to_le_bytes());
        b.extend_from_slice(&2u16.to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data_size.to_le_bytes());
        for s in samples {
            b.extend_from_slice(&s.to_le_bytes());
        }
        b
    }

    #[test]
    fn a_streamed_header_gets_its_real_sizes() {
        let mut samples = vec![0i16; 2205];
        samples.extend(std::iter::repeat_n(9000i16, 22050));
        let parsed = Wav::parse(wav(&samples, 22050, 0x7fff_f000)).unwrap();
        assert_eq!(parsed.duration_ms(), 1100);
        assert_eq!(parsed.first_sound_ms(500), Some(100));
        let b = parsed.bytes();
        assert_eq!(u32_at(b, 4).unwrap() as usize, b.len() - 8);
        assert_eq!(u32_at(b, 40).unwrap() as usize, samples.len() * 2);
        // And it reads the same again.
        assert_eq!(Wav::parse(b.to_vec()).unwrap(), parsed);
    }

    #[test]
    fn silence_has_no_first_sound_and_garbage_is_refused() {
        assert_eq!(
            Wav::parse(wav(&[0; 100], 22050, 200))
                .unwrap()
                .first_sound_ms(10),
            None
        );
        assert!(Wav::parse(b"RIFF\0\0\0\0WAVE".to_vec()).is_err());
        assert!(Wav::parse(b"hello".to_vec()).is_err());
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), head in any::<bool>()) {
            let mut input = if head { wav(&[], 8000, 0) } else { Vec::new() };
            input.extend(bytes);
            if let Ok(w) = Wav::parse(input) {
                prop_assert!(w.bytes().len() >= 44 || w.duration_ms() == 0);
                let _ = w.first_sound_ms(100);
            }
        }
    }
}
