//! Incremental WAV writing with periodic header flushes.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::CaptureError;

/// A sample type a WAV file can hold (hound writes 8-bit as unsigned on disk).
pub trait WavSample: hound::Sample + Copy + Send + 'static {
    const BITS: u16;
    const FORMAT: hound::SampleFormat;
    /// Scale to -1.0..1.0 for metering.
    fn to_f32(self) -> f32;
}

impl WavSample for i8 {
    const BITS: u16 = 8;
    const FORMAT: hound::SampleFormat = hound::SampleFormat::Int;
    fn to_f32(self) -> f32 {
        f32::from(self) / 128.0
    }
}

impl WavSample for i16 {
    const BITS: u16 = 16;
    const FORMAT: hound::SampleFormat = hound::SampleFormat::Int;
    fn to_f32(self) -> f32 {
        f32::from(self) / 32768.0
    }
}

impl WavSample for i32 {
    const BITS: u16 = 32;
    const FORMAT: hound::SampleFormat = hound::SampleFormat::Int;
    fn to_f32(self) -> f32 {
        (f64::from(self) / 2_147_483_648.0) as f32
    }
}

impl WavSample for f32 {
    const BITS: u16 = 32;
    const FORMAT: hound::SampleFormat = hound::SampleFormat::Float;
    fn to_f32(self) -> f32 {
        self
    }
}

/// Writes interleaved samples of type `S` to a WAV file as they arrive.
pub struct WavSink<S: WavSample> {
    path: PathBuf,
    writer: hound::WavWriter<BufWriter<File>>,
    _sample: std::marker::PhantomData<S>,
}

impl<S: WavSample> WavSink<S> {
    /// Create (or overwrite) `path` with a header for `S`.
    pub fn create(path: &Path, sample_rate: u32, channels: u16) -> Result<Self, CaptureError> {
        let spec = hound::WavSpec {
            channels,
            sample_rate,
            bits_per_sample: S::BITS,
            sample_format: S::FORMAT,
        };
        let writer = hound::WavWriter::create(path, spec).map_err(|e| write_error(path, &e))?;
        Ok(Self {
            path: path.to_path_buf(),
            writer,
            _sample: std::marker::PhantomData,
        })
    }

    /// Append interleaved samples (a whole number of frames).
    pub fn write(&mut self, samples: &[S]) -> Result<(), CaptureError> {
        for &s in samples {
            self.writer
                .write_sample(s)
                .map_err(|e| write_error(&self.path, &e))?;
        }
        Ok(())
    }

    /// Rewrite the header and push buffered bytes to the OS: the file is valid up to here.
    pub fn flush(&mut self) -> Result<(), CaptureError> {
        self.writer.flush().map_err(|e| write_error(&self.path, &e))
    }

    /// Write the final header.
    pub fn finalize(self) -> Result<(), CaptureError> {
        let path = self.path;
        self.writer.finalize().map_err(|e| write_error(&path, &e))
    }
}

fn write_error(path: &Path, err: &hound::Error) -> CaptureError {
    CaptureError::WriteWav {
        path: path.to_path_buf(),
        reason: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rehearse-sink-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn flushed_file_reads_back_while_still_open() {
        let path = temp_dir("flush").join("take.wav");
        let mut sink = WavSink::<f32>::create(&path, 48000, 2).expect("create");
        let first: Vec<f32> = (0..960).map(|i| i as f32 / 1000.0).collect();
        sink.write(&first).expect("write");
        sink.flush().expect("flush");
        sink.write(&[0.5; 96]).expect("write more, not flushed");
        let reader = hound::WavReader::open(&path).expect("readable mid-take");
        assert_eq!(reader.spec().sample_format, hound::SampleFormat::Float);
        let back: Vec<f32> = reader
            .into_samples()
            .collect::<Result<_, _>>()
            .expect("read");
        assert_eq!(back, first);
        sink.finalize().expect("finalize");
        assert_eq!(hound::WavReader::open(&path).expect("open").len(), 1056);
    }

    #[test]
    fn disk_full_is_a_clear_error() {
        // /dev/full accepts the open and fails every write with ENOSPC.
        let full = Path::new("/dev/full");
        assert!(
            full.exists(),
            "/dev/full is missing; this test needs a Linux machine"
        );
        let err = match WavSink::<i16>::create(full, 16000, 1) {
            Err(e) => e,
            Ok(mut sink) => {
                let mut result = sink.write(&vec![1i16; 16000]);
                if result.is_ok() {
                    result = sink.flush();
                }
                result.expect_err("writing to a full disk must fail")
            }
        };
        let msg = err.to_string();
        assert!(msg.contains("/dev/full"), "{msg}");
        assert!(msg.to_lowercase().contains("space"), "{msg}");
        assert!(msg.ends_with("then record again"), "{msg}");
    }
}
