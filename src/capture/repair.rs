//! Repair a WAV whose header sizes are stale (the recorder crashed or was killed mid-take).
//!
//! The writer rewrites the header at every flush, so a killed take has valid audio up to its
//! end but RIFF/data sizes from the last flush (or zero). The true sizes follow from the file
//! length; a partial last frame is cut off.

use std::fs::{File, OpenOptions};
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::CaptureError;

/// What [`repair_wav`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairOutcome {
    /// The header (or length) was changed.
    pub fixed: bool,
    /// Frames in the file afterwards.
    pub frames: u64,
}

/// What [`repair`] needs of a WAV: a file on disk, or bytes in memory.
trait Repairable: Read + Write + Seek {
    fn set_len(&mut self, len: u64) -> std::io::Result<()>;
    fn sync(&mut self) -> std::io::Result<()>;
}

impl Repairable for File {
    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        File::set_len(self, len)
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_all()
    }
}

impl Repairable for Cursor<&mut Vec<u8>> {
    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        let len = usize::try_from(len).map_err(std::io::Error::other)?;
        self.get_mut().resize(len, 0);
        Ok(())
    }

    fn sync(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Rewrite the RIFF and data sizes of `path` from its length. Pure std I/O.
pub fn repair_wav(path: &Path) -> Result<RepairOutcome, CaptureError> {
    let io_err = |e: std::io::Error| CaptureError::RepairWav {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io_err)?;
    let file_len = file.metadata().map_err(io_err)?.len();
    repair(path, &mut file, file_len)
}

/// [`repair_wav`] on a WAV held in memory, which it shortens and rewrites in place (the
/// fuzzer's entry point).
pub fn repair_wav_bytes(bytes: &mut Vec<u8>) -> Result<RepairOutcome, CaptureError> {
    let file_len = bytes.len() as u64;
    repair(Path::new("<memory>"), &mut Cursor::new(bytes), file_len)
}

/// Repairs the `file_len` bytes of `file`; `path` is only used in errors.
fn repair(
    path: &Path,
    file: &mut impl Repairable,
    file_len: u64,
) -> Result<RepairOutcome, CaptureError> {
    let io_err = |e: std::io::Error| CaptureError::RepairWav {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let not_wav = |reason: &str| CaptureError::NotWav {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let mut riff = [0u8; 12];
    if file_len < 12 {
        return Err(not_wav("shorter than a RIFF header"));
    }
    file.read_exact(&mut riff).map_err(io_err)?;
    if &riff[0..4] != b"RIFF" || &riff[8..12] != b"WAVE" {
        return Err(not_wav("no RIFF/WAVE signature"));
    }

    // Walk the chunks up to `data`, remembering the frame size from `fmt `.
    let mut pos = 12u64;
    let mut block_align: Option<u64> = None;
    let data_size_pos = loop {
        if pos + 8 > file_len {
            return Err(not_wav("no data chunk"));
        }
        let mut head = [0u8; 8];
        file.seek(SeekFrom::Start(pos)).map_err(io_err)?;
        file.read_exact(&mut head).map_err(io_err)?;
        let size = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]));
        match &head[0..4] {
            b"data" => break pos + 4,
            b"fmt " => {
                let mut fmt = [0u8; 16];
                if size < 16 {
                    return Err(not_wav("fmt chunk too short"));
                }
                file.read_exact(&mut fmt).map_err(io_err)?;
                block_align = Some(u64::from(u16::from_le_bytes([fmt[12], fmt[13]])));
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        pos += 8 + size + (size & 1);
    };
    let block_align = match block_align {
        Some(b) if b > 0 => b,
        _ => return Err(not_wav("no usable fmt chunk before the data")),
    };
    let data_start = data_size_pos + 4;
    let data_len_on_disk = file_len - data_start;
    // A WAV cannot describe more than 4 GiB; keep what fits.
    let max_data = u64::from(u32::MAX) - (data_start - 8);
    let data_len = (data_len_on_disk.min(max_data) / block_align) * block_align;
    let new_len = data_start + data_len;

    let mut size_bytes = [0u8; 4];
    file.seek(SeekFrom::Start(data_size_pos)).map_err(io_err)?;
    file.read_exact(&mut size_bytes).map_err(io_err)?;
    let old_data = u64::from(u32::from_le_bytes(size_bytes));
    let old_riff = u64::from(u32::from_le_bytes([riff[4], riff[5], riff[6], riff[7]]));
    let riff_size = new_len - 8;

    let fixed = old_data != data_len || old_riff != riff_size || new_len != file_len;
    if fixed {
        if new_len != file_len {
            file.set_len(new_len).map_err(io_err)?;
        }
        // Both fit in u32: `data_len` was capped above.
        let riff_u32 = u32::try_from(riff_size).unwrap_or(u32::MAX);
        let data_u32 = u32::try_from(data_len).unwrap_or(u32::MAX);
        file.seek(SeekFrom::Start(4)).map_err(io_err)?;
        file.write_all(&riff_u32.to_le_bytes()).map_err(io_err)?;
        file.seek(SeekFrom::Start(data_size_pos)).map_err(io_err)?;
        file.write_all(&data_u32.to_le_bytes()).map_err(io_err)?;
        file.sync().map_err(io_err)?;
    }
    Ok(RepairOutcome {
        fixed,
        frames: data_len / block_align,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_wav(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rehearse-repair-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir.join("take.wav")
    }

    fn write_wav(path: &Path, channels: u16, samples: &[i16]) {
        let spec = hound::WavSpec {
            channels,
            sample_rate: 16000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).expect("create");
        for &s in samples {
            w.write_sample(s).expect("write");
        }
        w.finalize().expect("finalize");
    }

    #[test]
    fn intact_file_is_left_alone() {
        let path = temp_wav("intact");
        let samples: Vec<i16> = (0..1000).map(|i| (i * 7) as i16).collect();
        write_wav(&path, 2, &samples);
        let out = repair_wav(&path).expect("repair");
        assert_eq!(
            out,
            RepairOutcome {
                fixed: false,
                frames: 500
            }
        );
    }

    #[test]
    fn zeroed_sizes_and_partial_frame_are_fixed() {
        let path = temp_wav("zeroed");
        let samples: Vec<i16> = (0..1000).map(|i| (i * 13 - 5000) as i16).collect();
        write_wav(&path, 2, &samples);
        // Simulate a kill: header sizes from the start of the take, plus a torn last frame.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes[4..8].copy_from_slice(&36u32.to_le_bytes());
        let data_at = bytes
            .windows(4)
            .position(|w| w == b"data")
            .expect("data chunk");
        bytes[data_at + 4..data_at + 8].copy_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&[1, 2, 3]);
        std::fs::write(&path, &bytes).expect("write");
        assert!(hound::WavReader::open(&path).map_or(0, |r| r.len()) == 0);

        let out = repair_wav(&path).expect("repair");
        assert_eq!(
            out,
            RepairOutcome {
                fixed: true,
                frames: 500
            }
        );
        let back: Vec<i16> = hound::WavReader::open(&path)
            .expect("open")
            .into_samples::<i16>()
            .collect::<Result<_, _>>()
            .expect("samples");
        assert_eq!(back, samples);
    }

    /// The fuzzer's seeds and every input it once failed on are repaired or refused with an
    /// error, the same in memory as on disk, and a repaired file needs no second repair.
    #[test]
    fn fuzz_inputs_repair_or_fail_cleanly() {
        let path = temp_wav("fuzz");
        for (input, mut bytes) in crate::fuzz_inputs::fuzz_inputs("wav_repair") {
            std::fs::write(&path, &bytes).expect("write");
            let on_disk = repair_wav(&path);
            let in_memory = repair_wav_bytes(&mut bytes);
            assert_eq!(
                in_memory.as_ref().ok(),
                on_disk.as_ref().ok(),
                "{}",
                input.display()
            );
            assert_eq!(
                std::fs::read(&path).expect("read"),
                bytes,
                "{}",
                input.display()
            );
            if let Ok(first) = in_memory {
                let again = repair_wav_bytes(&mut bytes).expect("a repaired file repairs");
                assert!(
                    !again.fixed,
                    "{}: {first:?} then {again:?}",
                    input.display()
                );
                assert_eq!(again.frames, first.frames, "{}", input.display());
                let _ = crate::audio::read_wav_bytes(&bytes);
            }
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let path = temp_wav("garbage");
        std::fs::write(&path, b"not a wav file at all, no").expect("write");
        let err = repair_wav(&path).expect_err("must fail");
        assert!(err.to_string().contains("not a WAV file"), "{err}");
        let missing = path.with_file_name("missing.wav");
        assert!(repair_wav(&missing).is_err());
    }
}
