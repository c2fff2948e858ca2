//! Bad input gets one clear line on stderr, a documented exit code, and no
//! panic: wrong file types, empty or cut-off files, and damaged models.

mod common;

use std::fs;
use std::path::Path;

use common::{Rehearse, fixture, model_path};
use rehearse::exit::{BAD_INPUT, MODEL};

fn transcribe(dir: &Path, file: &Path) -> common::Run {
    Rehearse::new(dir)
        .with_model()
        .run([Path::new("transcribe"), file])
}

fn write_wav(path: &Path, spec: hound::WavSpec, frames: usize) {
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames * usize::from(spec.channels) {
        writer.write_sample((i % 100) as i16).unwrap();
    }
    writer.finalize().unwrap();
}

fn mono_16k() -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

#[test]
fn a_text_file_is_not_a_wav() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.wav");
    fs::write(&file, "this is a transcript, not audio\n").unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "is not a WAV file");
}

#[test]
fn an_mp3_renamed_to_wav_is_not_a_wav() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.wav");
    fs::write(&file, b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64").unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "is not a WAV file");
}

#[test]
fn a_zero_length_file_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.wav");
    fs::write(&file, b"").unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "is empty");
}

#[test]
fn a_header_cut_short_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cut.wav");
    let bytes = fs::read(fixture("jfk.wav")).unwrap();
    for cut in [12, 20, 30, 40] {
        fs::write(&file, &bytes[..cut]).unwrap();
        transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "header");
    }
}

#[test]
fn a_wav_with_no_samples_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("silent.wav");
    write_wav(&file, mono_16k(), 0);
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "holds no audio samples");
}

#[test]
fn an_a_law_wav_is_an_unsupported_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("alaw.wav");
    // A well-formed 8 kHz A-law (format tag 6) header followed by 800 bytes.
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36u32 + 800).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&6u16.to_le_bytes()); // A-law
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&8_000u32.to_le_bytes());
    bytes.extend_from_slice(&8_000u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&8u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&800u32.to_le_bytes());
    bytes.extend(std::iter::repeat_n(0xd5u8, 800));
    fs::write(&file, bytes).unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "unsupported encoding");
}

#[test]
fn a_sample_rate_outside_8_to_48_khz_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hires.wav");
    write_wav(
        &file,
        hound::WavSpec {
            sample_rate: 96_000,
            ..mono_16k()
        },
        9_600,
    );
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "96000 Hz");
}

#[test]
fn a_missing_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    transcribe(dir.path(), &dir.path().join("nope.wav"))
        .assert_fails(BAD_INPUT.into(), "cannot read");
}

#[test]
fn no_model_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    Rehearse::new(dir.path())
        .run([Path::new("transcribe"), &fixture("jfk.wav")])
        .assert_fails(MODEL.into(), "run `rehearse model fetch`");
}

#[test]
fn a_truncated_model_is_rejected_before_whisper_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let model = fs::read(model_path()).unwrap();
    let damaged = dir.path().join("ggml-cut.bin");
    // Cut in the hparams, in the vocabulary, mid-tensor, and one byte short.
    for cut in [20, 70_000, model.len() / 2, model.len() - 1] {
        fs::write(&damaged, &model[..cut]).unwrap();
        let run = Rehearse::new(dir.path())
            .env("REHEARSE_MODEL", &damaged)
            .run([Path::new("transcribe"), &fixture("jfk.wav")]);
        run.assert_fails(MODEL.into(), "truncated");
    }
}

#[test]
fn a_file_that_is_not_a_model_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("ggml-fake.bin");
    fs::write(&damaged, vec![0x42u8; 4096]).unwrap();
    Rehearse::new(dir.path())
        .run([
            Path::new("transcribe"),
            &fixture("jfk.wav"),
            Path::new("--model"),
            &damaged,
        ])
        .assert_fails(MODEL.into(), "not a whisper.cpp ggml model");
}

#[test]
fn a_model_with_garbage_appended_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut model = fs::read(model_path()).unwrap();
    model.extend_from_slice(b"garbage");
    let damaged = dir.path().join("ggml-long.bin");
    fs::write(&damaged, model).unwrap();
    Rehearse::new(dir.path())
        .env("REHEARSE_MODEL", &damaged)
        .run([Path::new("transcribe"), &fixture("jfk.wav")])
        .assert_fails(MODEL.into(), "trailing");
}
