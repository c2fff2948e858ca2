//! whisper.cpp ggml model files: a writer, and a validating reader that checks a file before it
//! is handed to whisper.cpp (which aborts the whole process on a malformed model).
//!
//! Layout (little-endian): u32 magic `0x67676d6c`; 11 x i32 hparams; mel filters (i32 n_mel,
//! i32 n_fft, n_mel x n_fft f32); vocabulary (i32 count, then i32 length + bytes per token);
//! then tensors to EOF: i32 n_dims, i32 name length, i32 type, n_dims x i32 extents
//! (fastest-varying first), the name, the data.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use half::f16;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::quant;

pub const GGML_MAGIC: u32 = 0x6767_6d6c;
/// ggml tensor type codes (`enum ggml_type`) this module reads and writes.
pub const TYPE_F32: u32 = 0;
pub const TYPE_F16: u32 = 1;
pub const TYPE_Q5_1: u32 = 7;
pub const TYPE_Q8_0: u32 = 8;
/// Header `ftype` values (`enum ggml_ftype`): what the weight matrices are stored as.
pub const FTYPE_F16: i32 = 1;
pub const FTYPE_Q8_0: i32 = 7;
pub const FTYPE_Q5_1: i32 = 9;
/// whisper.cpp's `quantize` tool stores `GGML_QNT_VERSION * 1000 + ftype` in quantized files.
pub const QNT_VERSION: i32 = 2;
/// `n_fft` as whisper.cpp stores it in the mel header: frequency bins of a 400-point FFT.
pub const MEL_N_FFT: usize = 201;

// Sanity caps: far above any real Whisper model, far below what could exhaust memory.
const MAX_VOCAB: i32 = 1 << 20;
const MAX_CTX: i32 = 1 << 16;
const MAX_STATE: i32 = 1 << 14;
const MAX_LAYERS: i32 = 256;
const MAX_MELS: i32 = 512;
const MAX_TOKEN_BYTES: usize = 1 << 10;
const MAX_NAME_BYTES: usize = 256;
const MAX_DIMS: usize = 4;

#[derive(Debug, Error)]
pub enum GgmlError {
    #[error("cannot read `{path}`: {source}; check the path and permissions")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}; check free disk space and permissions")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "`{path}` is not a whisper.cpp ggml model (magic 0x{found:08x}, expected 0x67676d6c); delete it and get the model again"
    )]
    BadMagic { path: PathBuf, found: u32 },
    #[error(
        "`{path}` is truncated (it ends at byte {file_bytes} while reading {what}); delete it and get the model again"
    )]
    Truncated {
        path: PathBuf,
        file_bytes: u64,
        what: String,
    },
    #[error(
        "`{path}` is not a valid whisper model (at byte {offset}: {what}); delete it and get the model again"
    )]
    Invalid {
        path: PathBuf,
        offset: u64,
        what: String,
    },
    #[error(
        "`{path}` lacks {missing} of its {expected} tensors (first missing: `{first}`); delete it and get the model again"
    )]
    MissingTensors {
        path: PathBuf,
        missing: usize,
        expected: usize,
        first: String,
    },
    #[error(
        "`{path}` has {extra} bytes of trailing garbage after its last tensor; delete it and get the model again"
    )]
    TrailingBytes { path: PathBuf, extra: u64 },
    #[error("cannot write tensor `{name}`: {what}; this is a converter bug, please report it")]
    BadTensor { name: String, what: String },
}

/// The 11 hyperparameters in a whisper.cpp model header, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hparams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
}

impl Hparams {
    pub fn to_array(self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    pub fn from_array(a: [i32; 11]) -> Self {
        Self {
            n_vocab: a[0],
            n_audio_ctx: a[1],
            n_audio_state: a[2],
            n_audio_head: a[3],
            n_audio_layer: a[4],
            n_text_ctx: a[5],
            n_text_state: a[6],
            n_text_head: a[7],
            n_text_layer: a[8],
            n_mels: a[9],
            ftype: a[10],
        }
    }

    /// Why these hparams cannot describe a Whisper model, if they can't.
    pub fn problem(&self) -> Option<String> {
        let checks: [(&str, i32, i32); 10] = [
            ("n_vocab", self.n_vocab, MAX_VOCAB),
            ("n_audio_ctx", self.n_audio_ctx, MAX_CTX),
            ("n_audio_state", self.n_audio_state, MAX_STATE),
            ("n_audio_head", self.n_audio_head, MAX_STATE),
            ("n_audio_layer", self.n_audio_layer, MAX_LAYERS),
            ("n_text_ctx", self.n_text_ctx, MAX_CTX),
            ("n_text_state", self.n_text_state, MAX_STATE),
            ("n_text_head", self.n_text_head, MAX_STATE),
            ("n_text_layer", self.n_text_layer, MAX_LAYERS),
            ("n_mels", self.n_mels, MAX_MELS),
        ];
        for (name, value, max) in checks {
            if !(1..=max).contains(&value) {
                return Some(format!("hparam {name} = {value} is outside 1..={max}"));
            }
        }
        if self.n_audio_state % self.n_audio_head != 0 || self.n_text_state % self.n_text_head != 0
        {
            return Some("the state size is not a multiple of the head count".into());
        }
        if self.matrix_type().is_none() {
            return Some(format!("ftype {} is not supported", self.ftype));
        }
        None
    }

    /// The ggml type of weight matrices for this file's ftype (whisper.cpp's `wtype`).
    pub fn matrix_type(&self) -> Option<u32> {
        // whisper.cpp folds a quantisation version into ftype as `version * 1000 + ftype`.
        Some(match self.ftype.rem_euclid(1000) {
            0 => TYPE_F32,
            1 => TYPE_F16,
            2 => 2, // Q4_0
            3 => 3, // Q4_1
            FTYPE_Q8_0 => TYPE_Q8_0,
            8 => 6, // Q5_0
            FTYPE_Q5_1 => TYPE_Q5_1,
            _ => return None,
        })
    }

    /// The tensors whisper.cpp requires, each with its extents (fastest first) and type rule.
    pub fn expected_tensors(&self) -> Vec<ExpectedTensor> {
        let mut out = Vec::new();
        let mut push = |name: String, dims: Vec<usize>, kind: TensorKind| {
            out.push(ExpectedTensor { name, dims, kind });
        };
        let u = |v: i32| v.max(0) as usize;
        let (sa, st) = (u(self.n_audio_state), u(self.n_text_state));
        let (mels, vocab) = (u(self.n_mels), u(self.n_vocab));

        push(
            "encoder.positional_embedding".into(),
            vec![sa, u(self.n_audio_ctx)],
            TensorKind::F32,
        );
        push(
            "encoder.conv1.weight".into(),
            vec![3, mels, sa],
            TensorKind::Conv,
        );
        push("encoder.conv1.bias".into(), vec![1, sa], TensorKind::F32);
        push(
            "encoder.conv2.weight".into(),
            vec![3, sa, sa],
            TensorKind::Conv,
        );
        push("encoder.conv2.bias".into(), vec![1, sa], TensorKind::F32);
        push("encoder.ln_post.weight".into(), vec![sa], TensorKind::F32);
        push("encoder.ln_post.bias".into(), vec![sa], TensorKind::F32);
        for i in 0..u(self.n_audio_layer) {
            block_tensors(&mut push, &format!("encoder.blocks.{i}"), sa, false);
        }
        push(
            "decoder.positional_embedding".into(),
            vec![st, u(self.n_text_ctx)],
            TensorKind::F32,
        );
        push(
            "decoder.token_embedding.weight".into(),
            vec![st, vocab],
            TensorKind::Matrix,
        );
        push("decoder.ln.weight".into(), vec![st], TensorKind::F32);
        push("decoder.ln.bias".into(), vec![st], TensorKind::F32);
        for i in 0..u(self.n_text_layer) {
            block_tensors(&mut push, &format!("decoder.blocks.{i}"), st, true);
        }
        out
    }

    /// 7 + 15 per encoder layer + 4 + 24 per decoder layer (167 for tiny).
    pub fn expected_tensor_count(&self) -> usize {
        11 + 15 * self.n_audio_layer.max(0) as usize + 24 * self.n_text_layer.max(0) as usize
    }
}

fn block_tensors(
    push: &mut impl FnMut(String, Vec<usize>, TensorKind),
    prefix: &str,
    d: usize,
    cross: bool,
) {
    let mut attention = |part: &str| {
        push(
            format!("{prefix}.{part}_ln.weight"),
            vec![d],
            TensorKind::F32,
        );
        push(format!("{prefix}.{part}_ln.bias"), vec![d], TensorKind::F32);
        for proj in ["query", "key", "value", "out"] {
            push(
                format!("{prefix}.{part}.{proj}.weight"),
                vec![d, d],
                TensorKind::Matrix,
            );
            // Whisper's key projection has no bias.
            if proj != "key" {
                push(
                    format!("{prefix}.{part}.{proj}.bias"),
                    vec![d],
                    TensorKind::F32,
                );
            }
        }
    };
    attention("attn");
    if cross {
        attention("cross_attn");
    }
    push(format!("{prefix}.mlp_ln.weight"), vec![d], TensorKind::F32);
    push(format!("{prefix}.mlp_ln.bias"), vec![d], TensorKind::F32);
    push(
        format!("{prefix}.mlp.0.weight"),
        vec![d, 4 * d],
        TensorKind::Matrix,
    );
    push(format!("{prefix}.mlp.0.bias"), vec![4 * d], TensorKind::F32);
    push(
        format!("{prefix}.mlp.2.weight"),
        vec![4 * d, d],
        TensorKind::Matrix,
    );
    push(format!("{prefix}.mlp.2.bias"), vec![d], TensorKind::F32);
}

/// Which ggml type a tensor must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorKind {
    /// Biases, layer norms, positional embeddings: always f32.
    F32,
    /// Weight matrices and the token embedding: the file's matrix type (f16 for ftype 1).
    Matrix,
    /// Convolution weights: f32 in an all-f32 file, otherwise f16.
    Conv,
}

impl TensorKind {
    pub fn ggml_type(self, hparams: &Hparams) -> Option<u32> {
        let wtype = hparams.matrix_type()?;
        Some(match self {
            Self::F32 => TYPE_F32,
            Self::Matrix => wtype,
            Self::Conv if wtype == TYPE_F32 => TYPE_F32,
            Self::Conv => TYPE_F16,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedTensor {
    pub name: String,
    /// Extents, fastest-varying first.
    pub dims: Vec<usize>,
    pub kind: TensorKind,
}

/// One tensor header as read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TensorInfo {
    pub name: String,
    pub ggml_type: u32,
    /// Extents, fastest-varying first.
    pub dims: Vec<usize>,
    /// Where the tensor's data starts in the file.
    pub data_offset: u64,
}

/// What [`inspect`] found in a valid file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GgmlInfo {
    pub hparams: Hparams,
    pub n_mel: usize,
    pub n_fft: usize,
    /// `n_mel` x `n_fft`, row-major.
    pub mel_filters: Vec<f32>,
    /// Raw token bytes by id (not all valid UTF-8 on their own).
    pub vocab: Vec<Vec<u8>>,
    pub tensors: Vec<TensorInfo>,
    pub file_bytes: u64,
}

/// Bytes of `elements` elements of ggml type `ggml_type` whose fastest extent is `row`, or
/// `None` for an unknown type or a row that is not a whole number of blocks.
fn tensor_bytes(ggml_type: u32, row: usize, elements: usize) -> Option<u64> {
    let (block_bytes, block_len): (usize, usize) = match ggml_type {
        0 => (4, 1),
        1 => (2, 1),
        2 => (18, 32),
        3 => (20, 32),
        6 => (22, 32),
        TYPE_Q5_1 => (quant::Q5_1_BLOCK_BYTES, quant::BLOCK_LEN),
        TYPE_Q8_0 => (quant::Q8_0_BLOCK_BYTES, quant::BLOCK_LEN),
        _ => return None,
    };
    if !row.is_multiple_of(block_len) {
        return None;
    }
    u64::try_from((elements / block_len).checked_mul(block_bytes)?).ok()
}

/// Reads and validates a whole ggml model file without loading tensor data: the header, the
/// mel filters and vocabulary, and every tensor header (name, type, extents against the
/// hparams, data within the file). Never panics and allocates at most what the file holds.
pub fn inspect(path: &Path) -> Result<GgmlInfo, GgmlError> {
    let io = |source| GgmlError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let file_bytes = file.metadata().map_err(io)?.len();
    inspect_from(path, file, file_bytes)
}

/// [`inspect`] on a model file held in memory (the fuzzer's entry point).
pub fn inspect_bytes(bytes: &[u8]) -> Result<GgmlInfo, GgmlError> {
    inspect_from(
        Path::new("<memory>"),
        Cursor::new(bytes),
        bytes.len() as u64,
    )
}

/// Validates the `file_bytes` bytes of `source`; `path` is only used in errors.
fn inspect_from(
    path: &Path,
    source: impl Read + Seek,
    file_bytes: u64,
) -> Result<GgmlInfo, GgmlError> {
    let mut r = FileReader {
        inner: BufReader::new(source),
        path,
        pos: 0,
        file_bytes,
    };

    let magic = r.u32("the magic number")?;
    if magic != GGML_MAGIC {
        return Err(GgmlError::BadMagic {
            path: path.to_owned(),
            found: magic,
        });
    }
    let mut raw = [0i32; 11];
    for v in &mut raw {
        *v = r.i32("the hyperparameters")?;
    }
    let hparams = Hparams::from_array(raw);
    if let Some(problem) = hparams.problem() {
        return Err(r.invalid(problem));
    }

    let n_mel = r.i32("the mel filter header")?;
    let n_fft = r.i32("the mel filter header")?;
    if n_mel != hparams.n_mels || n_fft != MEL_N_FFT as i32 {
        return Err(r.invalid(format!(
            "mel filters are {n_mel} x {n_fft}, expected {} x {MEL_N_FFT}",
            hparams.n_mels
        )));
    }
    let (n_mel, n_fft) = (n_mel as usize, n_fft as usize);
    let mel_bytes = r.bytes(n_mel * n_fft * 4, "the mel filters")?;
    let mel_filters: Vec<f32> = mel_bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();

    let count = r.i32("the vocabulary size")?;
    if !(0..=hparams.n_vocab).contains(&count) {
        return Err(r.invalid(format!(
            "vocabulary has {count} tokens but n_vocab is {}",
            hparams.n_vocab
        )));
    }
    let mut vocab = Vec::with_capacity((count as usize).min(1 << 16));
    for id in 0..count {
        let len = r.i32("the vocabulary")?;
        if !(0..=MAX_TOKEN_BYTES as i32).contains(&len) {
            return Err(r.invalid(format!("token {id} claims {len} bytes")));
        }
        vocab.push(r.bytes(len as usize, "the vocabulary")?);
    }

    let expected: HashMap<String, ExpectedTensor> = hparams
        .expected_tensors()
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    let mut tensors: Vec<TensorInfo> = Vec::with_capacity(expected.len());
    let mut seen = std::collections::HashSet::new();
    while r.pos < file_bytes {
        if tensors.len() == expected.len() {
            return Err(GgmlError::TrailingBytes {
                path: path.to_owned(),
                extra: file_bytes - r.pos,
            });
        }
        let header_at = r.pos;
        let n_dims = r.i32("a tensor header")?;
        let name_len = r.i32("a tensor header")?;
        let ggml_type = r.i32("a tensor header")?;
        if !(1..=MAX_DIMS as i32).contains(&n_dims)
            || !(1..=MAX_NAME_BYTES as i32).contains(&name_len)
        {
            return Err(GgmlError::Invalid {
                path: path.to_owned(),
                offset: header_at,
                what: format!(
                    "tensor header claims {n_dims} dims and a {name_len}-byte name (after {} tensors)",
                    tensors.len()
                ),
            });
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            let extent = r.i32("a tensor header")?;
            if !(1..=i32::MAX).contains(&extent) {
                return Err(r.invalid(format!("tensor extent {extent}")));
            }
            dims.push(extent as usize);
        }
        let name_bytes = r.bytes(name_len as usize, "a tensor name")?;
        let name = String::from_utf8(name_bytes)
            .map_err(|_| r.invalid("a tensor name is not UTF-8".into()))?;
        let Some(want) = expected.get(&name) else {
            return Err(r.invalid(format!("unknown tensor `{name}`")));
        };
        if !seen.insert(name.clone()) {
            return Err(r.invalid(format!("tensor `{name}` appears twice")));
        }
        if dims != want.dims {
            return Err(r.invalid(format!(
                "tensor `{name}` has extents {dims:?}, expected {:?}",
                want.dims
            )));
        }
        let ggml_type = ggml_type as u32;
        // `problem()` already rejected ftypes without a matrix type.
        let want_type = want.kind.ggml_type(&hparams).unwrap_or(TYPE_F32);
        if ggml_type != want_type {
            return Err(r.invalid(format!(
                "tensor `{name}` has ggml type {ggml_type}, expected {want_type}"
            )));
        }
        let elements: usize = dims.iter().product();
        let data_bytes = tensor_bytes(ggml_type, dims[0], elements)
            .ok_or_else(|| r.invalid(format!("tensor `{name}` has an unusable type/extent")))?;
        let data_offset = r.pos;
        r.skip(data_bytes, &format!("the data of tensor `{name}`"))?;
        tensors.push(TensorInfo {
            name,
            ggml_type,
            dims,
            data_offset,
        });
    }
    if tensors.len() != expected.len() {
        let first = hparams
            .expected_tensors()
            .into_iter()
            .find(|t| !seen.contains(&t.name))
            .map(|t| t.name)
            .unwrap_or_default();
        return Err(GgmlError::MissingTensors {
            path: path.to_owned(),
            missing: expected.len() - tensors.len(),
            expected: expected.len(),
            first,
        });
    }
    Ok(GgmlInfo {
        hparams,
        n_mel,
        n_fft,
        mel_filters,
        vocab,
        tensors,
        file_bytes,
    })
}

/// Reads one tensor's values as f32 (dequantizing Q8_0 and Q5_1) from a file that
/// [`inspect`] accepted.
pub fn read_tensor_f32(path: &Path, tensor: &TensorInfo) -> Result<Vec<f32>, GgmlError> {
    let io = |source| GgmlError::Io {
        path: path.to_owned(),
        source,
    };
    let elements: usize = tensor.dims.iter().product();
    let row = tensor.dims.first().copied().unwrap_or(0);
    let n_bytes =
        tensor_bytes(tensor.ggml_type, row, elements).ok_or_else(|| GgmlError::Invalid {
            path: path.to_owned(),
            offset: tensor.data_offset,
            what: format!(
                "tensor `{}` has ggml type {}, which cannot be read",
                tensor.name, tensor.ggml_type
            ),
        })?;
    let mut file = File::open(path).map_err(io)?;
    let file_bytes = file.metadata().map_err(io)?.len();
    if tensor.data_offset.saturating_add(n_bytes) > file_bytes {
        return Err(GgmlError::Truncated {
            path: path.to_owned(),
            file_bytes,
            what: format!("the data of tensor `{}`", tensor.name),
        });
    }
    file.seek(SeekFrom::Start(tensor.data_offset)).map_err(io)?;
    let mut raw = vec![0u8; n_bytes as usize];
    file.read_exact(&mut raw).map_err(io)?;
    Ok(match tensor.ggml_type {
        TYPE_F32 => raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        TYPE_F16 => raw
            .chunks_exact(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        TYPE_Q8_0 => quant::dequantize_q8_0(&raw),
        TYPE_Q5_1 => quant::dequantize_q5_1(&raw),
        other => {
            return Err(GgmlError::Invalid {
                path: path.to_owned(),
                offset: tensor.data_offset,
                what: format!(
                    "tensor `{}` has ggml type {other}, which cannot be read",
                    tensor.name
                ),
            });
        }
    })
}

/// Reads little-endian values while tracking the offset; running out is [`GgmlError::Truncated`].
struct FileReader<'p, R> {
    inner: BufReader<R>,
    path: &'p Path,
    pos: u64,
    file_bytes: u64,
}

impl<R: Read + Seek> FileReader<'_, R> {
    fn truncated(&self, what: &str) -> GgmlError {
        GgmlError::Truncated {
            path: self.path.to_owned(),
            file_bytes: self.file_bytes,
            what: what.to_owned(),
        }
    }

    fn invalid(&self, what: String) -> GgmlError {
        GgmlError::Invalid {
            path: self.path.to_owned(),
            offset: self.pos,
            what,
        }
    }

    /// Fails before reading (or allocating) if fewer than `n` bytes remain.
    fn ensure(&self, n: u64, what: &str) -> Result<(), GgmlError> {
        match self.pos.checked_add(n) {
            Some(end) if end <= self.file_bytes => Ok(()),
            _ => Err(self.truncated(what)),
        }
    }

    fn bytes(&mut self, n: usize, what: &str) -> Result<Vec<u8>, GgmlError> {
        self.ensure(n as u64, what)?;
        let mut buf = vec![0u8; n];
        self.inner
            .read_exact(&mut buf)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => self.truncated(what),
                _ => GgmlError::Io {
                    path: self.path.to_owned(),
                    source: e,
                },
            })?;
        self.pos += n as u64;
        Ok(buf)
    }

    fn u32(&mut self, what: &str) -> Result<u32, GgmlError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i32(&mut self, what: &str) -> Result<i32, GgmlError> {
        Ok(self.u32(what)? as i32)
    }

    fn skip(&mut self, n: u64, what: &str) -> Result<(), GgmlError> {
        self.ensure(n, what)?;
        let offset = i64::try_from(n).map_err(|_| self.truncated(what))?;
        self.inner
            .seek_relative(offset)
            .map_err(|source| GgmlError::Io {
                path: self.path.to_owned(),
                source,
            })?;
        self.pos += n;
        Ok(())
    }
}

/// Streams a ggml model: [`GgmlWriter::header`] once, then every tensor.
pub struct GgmlWriter<W: Write> {
    out: W,
    path: PathBuf,
    bytes_written: u64,
}

impl<W: Write> GgmlWriter<W> {
    /// `path` is only used in error messages.
    pub fn new(out: W, path: &Path) -> Self {
        Self {
            out,
            path: path.to_owned(),
            bytes_written: 0,
        }
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), GgmlError> {
        self.out
            .write_all(bytes)
            .map_err(|source| GgmlError::Write {
                path: self.path.clone(),
                source,
            })?;
        self.bytes_written += bytes.len() as u64;
        Ok(())
    }

    fn put_i32(&mut self, v: i32) -> Result<(), GgmlError> {
        self.put(&v.to_le_bytes())
    }

    /// Writes magic, hparams, mel filters (`n_mels` x [`MEL_N_FFT`]) and the vocabulary.
    pub fn header(
        &mut self,
        hparams: &Hparams,
        mel_filters: &[f32],
        vocab: &[Vec<u8>],
    ) -> Result<(), GgmlError> {
        let bad = |what: String| GgmlError::BadTensor {
            name: "header".into(),
            what,
        };
        if mel_filters.len() != hparams.n_mels.max(0) as usize * MEL_N_FFT {
            return Err(bad(format!("{} mel weights", mel_filters.len())));
        }
        if vocab.len() > hparams.n_vocab.max(0) as usize {
            return Err(bad(format!(
                "{} tokens for n_vocab {}",
                vocab.len(),
                hparams.n_vocab
            )));
        }
        self.put(&GGML_MAGIC.to_le_bytes())?;
        for v in hparams.to_array() {
            self.put_i32(v)?;
        }
        self.put_i32(hparams.n_mels)?;
        self.put_i32(MEL_N_FFT as i32)?;
        let mel: Vec<u8> = mel_filters.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.put(&mel)?;
        self.put_i32(vocab.len() as i32)?;
        for token in vocab {
            self.put_i32(token.len() as i32)?;
            self.put(token)?;
        }
        Ok(())
    }

    /// Writes one tensor. `dims` are extents fastest-varying first (the row-major shape
    /// reversed); `values` are converted to `ggml_type`: f32, f16, or quantized (Q8_0, Q5_1)
    /// row by row, each row a whole number of blocks.
    pub fn tensor(
        &mut self,
        name: &str,
        dims: &[usize],
        ggml_type: u32,
        values: &[f32],
    ) -> Result<(), GgmlError> {
        let data: Vec<u8> = match ggml_type {
            TYPE_F32 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
            TYPE_F16 => values
                .iter()
                .flat_map(|&v| f16::from_f32(v).to_le_bytes())
                .collect(),
            TYPE_Q8_0 | TYPE_Q5_1 => {
                let row = dims.first().copied().unwrap_or(0);
                if values.len() != dims.iter().product::<usize>() {
                    return Err(GgmlError::BadTensor {
                        name: name.to_owned(),
                        what: format!("{} values for extents {dims:?}", values.len()),
                    });
                }
                if row == 0 || !row.is_multiple_of(quant::BLOCK_LEN) {
                    return Err(GgmlError::BadTensor {
                        name: name.to_owned(),
                        what: format!("rows of {row} values do not split into blocks of 32"),
                    });
                }
                let mut data = Vec::new();
                if ggml_type == TYPE_Q8_0 {
                    quant::quantize_q8_0(values, &mut data);
                } else {
                    quant::quantize_q5_1(values, &mut data);
                }
                data
            }
            other => {
                return Err(GgmlError::BadTensor {
                    name: name.to_owned(),
                    what: format!("ggml type {other} cannot be written"),
                });
            }
        };
        self.tensor_raw(name, dims, ggml_type, &data)
    }

    /// Writes one tensor whose data is already in `ggml_type`'s little-endian layout.
    pub fn tensor_raw(
        &mut self,
        name: &str,
        dims: &[usize],
        ggml_type: u32,
        data: &[u8],
    ) -> Result<(), GgmlError> {
        let bad = |what: String| GgmlError::BadTensor {
            name: name.to_owned(),
            what,
        };
        if !matches!(ggml_type, TYPE_F32 | TYPE_F16 | TYPE_Q8_0 | TYPE_Q5_1) {
            return Err(bad(format!("ggml type {ggml_type} cannot be written")));
        }
        let elements: usize = dims.iter().product();
        let want = tensor_bytes(ggml_type, dims.first().copied().unwrap_or(0), elements);
        if dims.is_empty() || dims.len() > MAX_DIMS || want != Some(data.len() as u64) {
            return Err(bad(format!("extents {dims:?} for {} bytes", data.len())));
        }
        if name.is_empty() || name.len() > MAX_NAME_BYTES {
            return Err(bad(format!("a {}-byte name", name.len())));
        }
        self.put_i32(dims.len() as i32)?;
        self.put_i32(name.len() as i32)?;
        self.put_i32(ggml_type as i32)?;
        for &d in dims {
            let d = i32::try_from(d).map_err(|_| bad(format!("extent {d}")))?;
            self.put_i32(d)?;
        }
        self.put(name.as_bytes())?;
        self.put(data)
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }

    /// Flushes and returns the inner writer.
    pub fn finish(mut self) -> Result<W, GgmlError> {
        self.out.flush().map_err(|source| GgmlError::Write {
            path: self.path.clone(),
            source,
        })?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_hparams() -> Hparams {
        Hparams {
            n_vocab: 12,
            n_audio_ctx: 5,
            n_audio_state: 8,
            n_audio_head: 2,
            n_audio_layer: 2,
            n_text_ctx: 4,
            n_text_state: 8,
            n_text_head: 2,
            n_text_layer: 1,
            n_mels: 3,
            ftype: 1,
        }
    }

    /// A complete, valid model file for `tiny_hparams`, each tensor filled with its index.
    fn tiny_file() -> Vec<u8> {
        let hp = tiny_hparams();
        let mut w = GgmlWriter::new(Vec::new(), Path::new("mem"));
        let mel: Vec<f32> = (0..3 * MEL_N_FFT).map(|i| i as f32 * 0.001).collect();
        let vocab: Vec<Vec<u8>> = vec![
            b"a".to_vec(),
            b" b".to_vec(),
            vec![0xE2, 0x80],
            b"".to_vec(),
        ];
        w.header(&hp, &mel, &vocab).unwrap();
        for (i, t) in hp.expected_tensors().iter().enumerate() {
            let n: usize = t.dims.iter().product();
            let ty = t.kind.ggml_type(&hp).unwrap();
            w.tensor(&t.name, &t.dims, ty, &vec![i as f32; n]).unwrap();
        }
        w.finish().unwrap()
    }

    fn write_tmp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// The fuzzer's seeds and every input it once failed on pass or fail with an error, the
    /// same from memory as from a file.
    #[test]
    fn fuzz_inputs_pass_or_fail_cleanly() {
        let mut valid = 0;
        for (path, bytes) in crate::fuzz_inputs("ggml_header") {
            let from_memory = inspect_bytes(&bytes);
            assert_eq!(
                from_memory.is_ok(),
                inspect(&path).is_ok(),
                "{}",
                path.display()
            );
            if let Ok(info) = from_memory {
                valid += 1;
                assert_eq!(info.file_bytes, bytes.len() as u64);
                assert_eq!(info.tensors.len(), info.hparams.expected_tensor_count());
            }
        }
        assert!(valid > 0, "no seed is a valid model");
    }

    #[test]
    fn tensor_counts_match_whisper_cpp() {
        let hp = tiny_hparams();
        assert_eq!(hp.expected_tensors().len(), hp.expected_tensor_count());
        assert_eq!(hp.expected_tensor_count(), 11 + 2 * 15 + 24);
        let tiny_en = Hparams {
            n_vocab: 51864,
            n_audio_ctx: 1500,
            n_audio_state: 384,
            n_audio_head: 6,
            n_audio_layer: 4,
            n_text_ctx: 448,
            n_text_state: 384,
            n_text_head: 6,
            n_text_layer: 4,
            n_mels: 80,
            ftype: 1,
        };
        assert_eq!(tiny_en.expected_tensors().len(), 167);
        assert_eq!(tiny_en.problem(), None);
    }

    #[test]
    fn inspect_reads_back_what_the_writer_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = tiny_file();
        let path = write_tmp(&dir, "ok.bin", &bytes);
        let info = inspect(&path).unwrap();
        assert_eq!(info.hparams, tiny_hparams());
        assert_eq!((info.n_mel, info.n_fft), (3, MEL_N_FFT));
        assert_eq!(info.mel_filters[5], 5f32 * 0.001);
        assert_eq!(info.vocab[1], b" b");
        assert_eq!(info.vocab[2], vec![0xE2, 0x80]);
        assert_eq!(info.vocab.len(), 4);
        assert_eq!(info.tensors.len(), 65);
        assert_eq!(info.file_bytes, bytes.len() as u64);
        let conv = info
            .tensors
            .iter()
            .find(|t| t.name == "encoder.conv1.weight")
            .unwrap();
        assert_eq!(
            (conv.ggml_type, conv.dims.clone()),
            (TYPE_F16, vec![3, 3, 8])
        );
        let bias = info
            .tensors
            .iter()
            .find(|t| t.name == "encoder.conv2.bias")
            .unwrap();
        assert_eq!((bias.ggml_type, bias.dims.clone()), (TYPE_F32, vec![1, 8]));
    }

    fn expect_err(bytes: &[u8]) -> GgmlError {
        let dir = tempfile::tempdir().unwrap();
        expect_err_at(&dir.path().join("bad.bin"), bytes)
    }

    fn expect_err_at(path: &Path, bytes: &[u8]) -> GgmlError {
        std::fs::write(path, bytes).unwrap();
        match inspect(path) {
            Ok(_) => panic!("a bad file of {} bytes passed inspection", bytes.len()),
            Err(e) => e,
        }
    }

    #[test]
    fn rejects_every_truncation() {
        let bytes = tiny_file();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.bin");
        // Every cut through the magic and hparams, then through the vocabulary and the first
        // tensor headers; a spread of cuts through the mel filters and the other tensors.
        let mel_at = 4 + 44 + 8;
        let vocab_at = mel_at + 3 * MEL_N_FFT * 4;
        // (Kept to a few hundred files: rewriting a file costs milliseconds on some disks.)
        let cuts = (0..mel_at + 8)
            .chain((mel_at..vocab_at).step_by(61))
            .chain(vocab_at..vocab_at + 96)
            .chain((vocab_at + 96..bytes.len()).step_by(29));
        let mut tried = 0;
        for cut in cuts {
            let err = expect_err_at(&path, &bytes[..cut]);
            let msg = err.to_string();
            assert!(
                matches!(
                    err,
                    GgmlError::Truncated { .. }
                        | GgmlError::MissingTensors { .. }
                        | GgmlError::BadMagic { .. }
                ),
                "cut at {cut}: {msg}"
            );
            assert!(msg.contains("delete it and get the model again"), "{msg}");
            tried += 1;
        }
        eprintln!(
            "{tried} truncations of a {}-byte file all rejected",
            bytes.len()
        );
        let err = expect_err(&bytes[..bytes.len() - 1]);
        eprintln!("truncated by one byte: {err}");
        assert!(matches!(err, GgmlError::Truncated { .. }), "{err}");
        let err = expect_err(&bytes[..bytes.len() / 2]);
        eprintln!("truncated by half: {err}");
    }

    #[test]
    fn rejects_empty_file_bad_magic_and_trailing_garbage() {
        let err = expect_err(&[]);
        eprintln!("empty: {err}");
        assert!(matches!(err, GgmlError::Truncated { .. }), "{err}");

        let mut bytes = tiny_file();
        bytes[0] ^= 0xFF;
        let err = expect_err(&bytes);
        eprintln!("bad magic: {err}");
        assert!(matches!(err, GgmlError::BadMagic { .. }), "{err}");

        let mut bytes = tiny_file();
        bytes.extend_from_slice(b"garbage");
        let err = expect_err(&bytes);
        eprintln!("garbage: {err}");
        assert!(
            matches!(err, GgmlError::TrailingBytes { extra: 7, .. }),
            "{err}"
        );

        let err = expect_err(b"<html>not a model</html>");
        assert!(matches!(err, GgmlError::BadMagic { .. }), "{err}");
    }

    #[test]
    fn rejects_absurd_sizes_without_allocating_them() {
        let base = tiny_file();
        // Hparam n_vocab (offset 4) = i32::MAX, then the vocabulary count (after mel) = huge.
        let mut bytes = base.clone();
        bytes[4..8].copy_from_slice(&i32::MAX.to_le_bytes());
        assert!(matches!(expect_err(&bytes), GgmlError::Invalid { .. }));
        let mut bytes = base.clone();
        bytes[8..12].copy_from_slice(&(-1i32).to_le_bytes());
        assert!(matches!(expect_err(&bytes), GgmlError::Invalid { .. }));
        let vocab_at = 4 + 44 + 8 + 3 * MEL_N_FFT * 4;
        let mut bytes = base.clone();
        bytes[vocab_at..vocab_at + 4].copy_from_slice(&1_000_000i32.to_le_bytes());
        assert!(matches!(expect_err(&bytes), GgmlError::Invalid { .. }));
        // A token claiming 2 GB.
        let mut bytes = base.clone();
        bytes[vocab_at + 4..vocab_at + 8].copy_from_slice(&i32::MAX.to_le_bytes());
        assert!(matches!(expect_err(&bytes), GgmlError::Invalid { .. }));
        // The first tensor claiming a huge name.
        let first_tensor = vocab_at + 4 + (4 + 1) + (4 + 2) + (4 + 2) + 4;
        let mut bytes = base.clone();
        bytes[first_tensor + 4..first_tensor + 8].copy_from_slice(&i32::MAX.to_le_bytes());
        let err = expect_err(&bytes);
        eprintln!("huge name: {err}");
        assert!(matches!(err, GgmlError::Invalid { .. }), "{err}");
    }

    /// Replaces tensor i's (extents, type), or keeps them with `None`.
    type Edit<'a> = dyn Fn(usize, &ExpectedTensor) -> Option<(Vec<usize>, u32)> + 'a;

    #[test]
    fn rejects_wrong_type_extents_and_duplicates() {
        let hp = tiny_hparams();
        let mel = vec![0.0; 3 * MEL_N_FFT];
        let build = |edit: &Edit<'_>| {
            let mut w = GgmlWriter::new(Vec::new(), Path::new("mem"));
            w.header(&hp, &mel, &[]).unwrap();
            for (i, t) in hp.expected_tensors().iter().enumerate() {
                let (dims, ty) =
                    edit(i, t).unwrap_or((t.dims.clone(), t.kind.ggml_type(&hp).unwrap()));
                let n: usize = dims.iter().product();
                w.tensor(&t.name, &dims, ty, &vec![0.0; n]).unwrap();
            }
            w.finish().unwrap()
        };
        // An all-f32 tensor set in an f16 file: the first matrix has the wrong type.
        let err = expect_err(&build(&|_, t| Some((t.dims.clone(), TYPE_F32))));
        eprintln!("wrong type: {err}");
        assert!(err.to_string().contains("ggml type 0"), "{err}");
        // Transposed extents on the conv weight.
        let err = expect_err(&build(&|i, t| {
            (i == 1).then(|| (vec![8, 3, 3], t.kind.ggml_type(&hp).unwrap()))
        }));
        assert!(err.to_string().contains("extents"), "{err}");
        // A repeated tensor.
        let mut bytes = build(&|_, _| None);
        let ok_len = bytes.len();
        let mut w = GgmlWriter::new(Vec::new(), Path::new("mem"));
        w.tensor("decoder.ln.bias", &[8], TYPE_F32, &[0.0; 8])
            .unwrap();
        let dup = w.finish().unwrap();
        // Replace the final tensor (decoder block mlp.2.bias, 8 f32) with a duplicate.
        let last_len = 12 + 4 + "decoder.blocks.0.mlp.2.bias".len() + 32;
        bytes.truncate(ok_len - last_len);
        bytes.extend_from_slice(&dup);
        let err = expect_err(&bytes);
        assert!(err.to_string().contains("twice"), "{err}");
    }

    #[test]
    fn corrupted_bytes_never_panic() {
        let base = tiny_file();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.bin");
        // Deterministic xorshift: flip bytes all over the headers and tensor headers.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut rejected = 0;
        for _ in 0..300 {
            let mut bytes = base.clone();
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state % bytes.len() as u64) as usize;
                bytes[at] = (state >> 32) as u8;
            }
            std::fs::write(&path, &bytes).unwrap();
            if inspect(&path).is_err() {
                rejected += 1;
            }
        }
        eprintln!("fuzz: {rejected}/300 corrupted copies rejected (the rest hit tensor data)");
        assert!(rejected > 0);
    }

    #[test]
    fn writer_refuses_inconsistent_tensors() {
        let mut w = GgmlWriter::new(Vec::new(), Path::new("mem"));
        assert!(w.tensor("x", &[2, 2], TYPE_F16, &[0.0; 3]).is_err());
        assert!(w.tensor("x", &[], TYPE_F32, &[]).is_err());
        assert!(w.tensor("x", &[1], 9, &[0.0]).is_err());
        // Quantized rows must be whole blocks of 32, as whisper.cpp's quantizer requires.
        assert!(w.tensor("x", &[16, 2], TYPE_Q8_0, &[0.0; 32]).is_err());
        assert!(w.tensor("x", &[32, 1], TYPE_Q5_1, &[0.0; 16]).is_err());
        assert!(w.tensor("x", &[32, 2], TYPE_Q8_0, &[0.5; 64]).is_ok());
        assert_eq!(w.bytes_written(), 12 + 8 + 1 + 2 * 34);
    }
}
