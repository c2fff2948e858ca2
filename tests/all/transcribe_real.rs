//! The real model on real and synthesized speech: the converted tiny.en
//! transcribes the Kennedy recording word for word, the long spoken answer
//! stays under 10 % word error rate, and a 44.1 kHz stereo copy of it (made
//! at test time) gives the same words; a window whose decode starts its
//! last words over is cut off after the first copy, not decoded again; a
//! loud noise no decode writes words for costs one retry, not four; the
//! thread count does not change the transcript.

use std::path::Path;

use crate::common::{self, Rehearse, fixture};
use crate::eval::{normalise_words, word_error_rate};
use rehearse::transcript::Transcript;

fn transcribe_json(file: &Path) -> Transcript {
    let dir = tempfile::tempdir().unwrap();
    let run = Rehearse::new(dir.path()).with_model().run([
        Path::new("transcribe"),
        file,
        Path::new("--json"),
    ]);
    run.assert_ok();
    serde_json::from_str(&run.stdout).expect("transcript JSON")
}

/// The transcript of `file`, and the guard's debug log of its decodes.
fn transcribe_with_log(file: &Path) -> (Transcript, String) {
    let dir = tempfile::tempdir().unwrap();
    let run = Rehearse::new(dir.path())
        .with_model()
        .env("REHEARSE_LOG", "rehearse=debug")
        .run([Path::new("transcribe"), file, Path::new("--json")]);
    run.assert_ok();
    let transcript = serde_json::from_str(&run.stdout).expect("transcript JSON");
    (transcript, run.stderr)
}

fn reference(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

#[test]
fn the_converted_model_transcribes_the_real_recording_word_for_word() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    let run = Rehearse::new(dir.path())
        .with_model()
        .run([Path::new("transcribe"), &fixture("jfk.wav")]);
    run.assert_ok();
    println!("jfk.wav -> {}", run.stdout.trim());
    assert_eq!(
        normalise_words(&run.stdout),
        normalise_words(&reference("jfk.txt"))
    );
}

#[test]
fn json_has_timed_words_inside_the_recording() {
    let _heavy = common::heavy();
    let transcript = transcribe_json(&fixture("jfk.wav"));
    assert_eq!(
        transcript.schema_version,
        rehearse::transcript::TRANSCRIPT_SCHEMA_VERSION
    );
    let default = rehearse::model::manifest::find(rehearse::model::DEFAULT_MODEL).unwrap();
    assert_eq!(transcript.model, default.file);
    assert!(
        (10_900..=11_100).contains(&transcript.duration_ms),
        "{}",
        transcript.duration_ms
    );
    let words: Vec<_> = transcript.words().collect();
    assert!(words.len() >= 20, "{} words", words.len());
    let mut previous_start = 0;
    for word in &words {
        assert!(
            word.start_ms >= previous_start,
            "{word:?} goes back in time"
        );
        assert!(
            word.start_ms <= word.end_ms && word.end_ms <= transcript.duration_ms,
            "{word:?}"
        );
        assert!((0.0..=1.0).contains(&word.probability), "{word:?}");
        previous_start = word.start_ms;
    }
    // "country." is the last word and ends near the end of the speech (~10.5 s).
    let last = words.last().unwrap();
    assert!(last.text.to_lowercase().starts_with("country"), "{last:?}");
    assert!(last.end_ms > 9_000, "{last:?}");
}

#[test]
fn the_long_answer_is_transcribed_with_under_ten_percent_word_errors() {
    let _heavy = common::heavy();
    let script = reference("long_answer.txt");
    let mono = transcribe_json(&fixture("long_answer.wav"));
    let stats = word_error_rate(&script, &mono.text);
    println!(
        "long_answer.wav: WER {:.1} % ({} sub, {} del, {} ins of {} words), {:.1} s",
        stats.wer * 100.0,
        stats.substitutions,
        stats.deletions,
        stats.insertions,
        stats.reference_words,
        mono.duration_ms as f64 / 1000.0
    );
    assert!(
        (60_000..=90_000).contains(&mono.duration_ms),
        "{} ms",
        mono.duration_ms
    );
    assert!(stats.wer <= 0.10, "WER {:.3}", stats.wer);

    let stereo = transcribe_json(&common::long_answer_44k_stereo());
    let between = word_error_rate(&mono.text, &stereo.text);
    println!(
        "44.1 kHz stereo copy: {:.1} % of words differ from the 16 kHz mono transcript",
        between.wer * 100.0
    );
    // Nearly the same words: the resampled copy differs from the 16 kHz file
    // in the last bits, and that can tip Whisper at a close call: a word split
    // differently ("within" / "with in"), or "error" / "errors" (one primed
    // decode per window, 2026-12-05). Two words in a hundred is the bar.
    assert!(between.wer <= 0.02, "{:.3}", between.wer);
}

#[test]
fn a_window_that_says_its_last_words_again_is_cut_off_not_decoded_again() {
    let _heavy = common::heavy();
    // Answer 18's last window (5 s) loops with a fitted encoder: its one
    // sentence, "I guess we learned that product needs to write better
    // requirements.", comes out twice.
    let stem = "18-dashboard-nobody-used";
    let wav = common::corpus_wav(stem);
    let (transcript, stderr) = transcribe_with_log(&wav);
    let log = |needle: &str| stderr.lines().filter(|l| l.contains(needle)).count();
    println!(
        "{stem}: {} loop cut off, {} windows decoded again",
        log("loop at its end cut off"),
        log("encoder Wide")
    );
    assert_eq!(log("loop at its end cut off"), 1, "{stderr}");
    assert_eq!(log("encoder Wide"), 0, "{stderr}");
    let said = normalise_words(&transcript.text).join(" ");
    assert_eq!(
        said.matches("write better requirements").count(),
        1,
        "{}",
        transcript.text
    );
    let stats = word_error_rate(&common::corpus_script(stem), &transcript.text);
    println!("{stem}: WER {:.1} %", stats.wer * 100.0);
    // 2.9 % (2026-12-05), as when the window was decoded again with a wider
    // encoder.
    assert!(stats.wer <= 0.15, "WER {:.3}", stats.wer);
    // The kept copy is timed on the speech: the last word ends inside the
    // recording, after the window began (50.1 s).
    let last = transcript
        .segments
        .last()
        .and_then(|s| s.words.last())
        .expect("words");
    assert!(
        (50_100..=transcript.duration_ms).contains(&last.end_ms),
        "{last:?}"
    );
}

/// Four seconds of loud noise after the Kennedy recording is sound with no
/// words: the guard takes it for a left-out sentence and decodes the window
/// again with a wider encoder, which finds no more words, so it stops there
/// (with 4 s of pink noise, the three attempts after it took 4.1 s on the
/// machine this was written on and changed nothing) and keeps the words.
#[test]
fn speech_with_no_words_after_one_wider_decode_is_kept_as_it_is() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    let mut reader = hound::WavReader::open(fixture("jfk.wav")).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.bits_per_sample), (1, 16));
    let mut samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    // Uniform noise of ±0.1 full scale (-25 dBFS RMS), from a fixed seed.
    let mut state: u32 = 0x2545_f491;
    for _ in 0..spec.sample_rate * 4 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let unit = f64::from(state) / f64::from(u32::MAX) * 2.0 - 1.0;
        samples.push((unit * 0.1 * f64::from(i16::MAX)) as i16);
    }
    let wav = dir.path().join("jfk-then-noise.wav");
    let mut writer = hound::WavWriter::create(&wav, spec).unwrap();
    for sample in samples {
        writer.write_sample(sample).unwrap();
    }
    writer.finalize().unwrap();

    let (transcript, stderr) = transcribe_with_log(&wav);
    let log = |needle: &str| stderr.lines().filter(|l| l.contains(needle)).count();
    println!(
        "{} decodes, {} incomplete, {} stopped for no more words",
        log("ms: ") - log("no more words"),
        log("Incomplete"),
        log("no more words found")
    );
    assert_eq!(log("Incomplete"), 2, "{stderr}");
    assert_eq!(log("no more words found"), 1, "{stderr}");
    assert_eq!(log("encoder Full"), 0, "{stderr}");
    assert_eq!(
        normalise_words(&transcript.text),
        normalise_words(&reference("jfk.txt"))
    );
}

/// Each decode takes as many threads as other programs leave cores free, so
/// the count changes with the machine's load: the words and their times must
/// not.
#[test]
fn the_thread_count_does_not_change_the_transcript() {
    let _heavy = common::heavy();
    let stem = "20-night-pages";
    let wav = common::corpus_wav(stem);
    let with_threads = |threads: &str| {
        let dir = tempfile::tempdir().unwrap();
        let run = Rehearse::new(dir.path())
            .with_model()
            .env("REHEARSE_THREADS", threads)
            .run([Path::new("transcribe"), &wav, Path::new("--json")]);
        run.assert_ok();
        serde_json::from_str::<Transcript>(&run.stdout).expect("transcript JSON")
    };
    let one = with_threads("1");
    let two = with_threads("2");
    println!(
        "{stem}: {} words with 1 thread, {} with 2",
        one.words().count(),
        two.words().count()
    );
    assert!(one.words().count() > 50, "{}", one.text);
    assert_eq!(one, two);
}
