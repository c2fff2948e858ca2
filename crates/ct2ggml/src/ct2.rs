//! Reader for CTranslate2 `model.bin` files (binary version 6).
//!
//! Layout (little-endian, no padding; a *string* is a u16 length that counts a trailing NUL,
//! the bytes, the NUL): u32 version, string spec name, u32 spec revision, u32 variable count;
//! per variable: string name, u8 rank, rank x u32 dims, u8 dtype, u32 byte count, raw
//! row-major data; then u32 alias count and (alias, target) string pairs.

use std::io::Read;
use std::path::{Path, PathBuf};

use half::{bf16, f16};
use thiserror::Error;

/// The only binary version this reader understands.
pub const SUPPORTED_VERSION: u32 = 6;
/// Caps that keep a hostile file from asking for absurd shapes.
const MAX_RANK: usize = 8;
const MAX_VARIABLES: u32 = 1 << 20;

#[derive(Debug, Error)]
pub enum Ct2Error {
    #[error("cannot read `{path}`: {source}; check the path and permissions")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the CTranslate2 model is truncated (ends at byte {offset} while reading {what}); download the model again"
    )]
    Truncated { offset: usize, what: String },
    #[error(
        "the CTranslate2 model has binary version {found}, expected {SUPPORTED_VERSION}; convert it with CTranslate2 4.x or use the packaged model"
    )]
    UnsupportedVersion { found: u32 },
    #[error("the CTranslate2 model is corrupt at byte {offset}: {what}; download the model again")]
    Corrupt { offset: usize, what: String },
    #[error(
        "variable `{name}` is missing from the CTranslate2 model; pass a complete CTranslate2 Whisper model"
    )]
    Missing { name: String },
    #[error(
        "variable `{name}` has dtype {dtype:?}, which cannot be read as {wanted}; pass a float16, float32 or int8 CTranslate2 model"
    )]
    WrongType {
        name: String,
        dtype: DType,
        wanted: &'static str,
    },
    #[error(
        "variable `{name}` is int8 but `{name}_scale` is missing or has {found} values for {rows} rows; pass an unmodified CTranslate2 model"
    )]
    BadScale {
        name: String,
        rows: usize,
        found: usize,
    },
}

/// Element types of a CTranslate2 variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl DType {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::BF16,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size_bytes(self) -> usize {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::BF16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }

    /// The code used in the file.
    pub fn code(self) -> u8 {
        match self {
            Self::F32 => 0,
            Self::I8 => 1,
            Self::I16 => 2,
            Self::I32 => 3,
            Self::F16 => 4,
            Self::BF16 => 5,
        }
    }
}

/// One stored variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub name: String,
    /// Row-major shape; empty for a scalar.
    pub shape: Vec<usize>,
    pub dtype: DType,
    /// Raw little-endian bytes, `shape.product() * dtype.size_bytes()` long.
    pub data: Vec<u8>,
}

impl Variable {
    pub fn element_count(&self) -> usize {
        self.shape.iter().product()
    }

    /// Elements of a float variable (f32, f16 or bf16) as f32.
    pub fn floats(&self) -> Result<Vec<f32>, Ct2Error> {
        let d = &self.data;
        Ok(match self.dtype {
            DType::F32 => d
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            DType::F16 => d
                .chunks_exact(2)
                .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            DType::BF16 => d
                .chunks_exact(2)
                .map(|c| bf16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            dtype => {
                return Err(Ct2Error::WrongType {
                    name: self.name.clone(),
                    dtype,
                    wanted: "floats",
                });
            }
        })
    }

    /// Elements of an integer variable as i64.
    pub fn ints(&self) -> Result<Vec<i64>, Ct2Error> {
        let d = &self.data;
        Ok(match self.dtype {
            DType::I8 => d.iter().map(|&b| i64::from(b as i8)).collect(),
            DType::I16 => d
                .chunks_exact(2)
                .map(|c| i64::from(i16::from_le_bytes([c[0], c[1]])))
                .collect(),
            DType::I32 => d
                .chunks_exact(4)
                .map(|c| i64::from(i32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                .collect(),
            dtype => {
                return Err(Ct2Error::WrongType {
                    name: self.name.clone(),
                    dtype,
                    wanted: "integers",
                });
            }
        })
    }
}

/// A parsed `model.bin`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ct2Model {
    pub spec_name: String,
    pub spec_revision: u32,
    pub variables: Vec<Variable>,
    /// (alias, target) pairs, e.g. `decoder/projection/weight -> decoder/embeddings/weight`.
    pub aliases: Vec<(String, String)>,
}

impl Ct2Model {
    /// Reads and parses a `model.bin` file.
    pub fn read(path: &Path) -> Result<Self, Ct2Error> {
        let file = std::fs::File::open(path).map_err(|source| Ct2Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_reader(std::io::BufReader::new(file))
    }

    /// Parses the bytes of a `model.bin`.
    pub fn parse(bytes: &[u8]) -> Result<Self, Ct2Error> {
        Self::from_reader(bytes)
    }

    /// Parses a `model.bin` from a stream (a file, or an archive entry), holding each
    /// variable's data once. Memory grows only as data actually arrives, so a header that
    /// claims huge sizes cannot make it allocate them.
    pub fn from_reader(inner: impl Read) -> Result<Self, Ct2Error> {
        let mut r = Reader { inner, pos: 0 };
        let version = r.u32("the binary version")?;
        if version != SUPPORTED_VERSION {
            return Err(Ct2Error::UnsupportedVersion { found: version });
        }
        let spec_name = r.string("the spec name")?;
        let spec_revision = r.u32("the spec revision")?;
        let count = r.u32("the variable count")?;
        if count > MAX_VARIABLES {
            return Err(r.corrupt(format!("{count} variables is absurd")));
        }
        let mut variables = Vec::new();
        for _ in 0..count {
            variables.push(r.variable()?);
        }
        let alias_count = r.u32("the alias count")?;
        if alias_count > MAX_VARIABLES {
            return Err(r.corrupt(format!("{alias_count} aliases is absurd")));
        }
        let mut aliases = Vec::new();
        for _ in 0..alias_count {
            let alias = r.string("an alias name")?;
            let target = r.string("an alias target")?;
            aliases.push((alias, target));
        }
        if r.at_end()? {
            Ok(Self {
                spec_name,
                spec_revision,
                variables,
                aliases,
            })
        } else {
            Err(r.corrupt("unexpected bytes after the aliases".into()))
        }
    }

    /// Looks a variable up by name, following aliases.
    pub fn get(&self, name: &str) -> Option<&Variable> {
        let target = self
            .aliases
            .iter()
            .find(|(alias, _)| alias == name)
            .map_or(name, |(_, target)| target.as_str());
        self.variables.iter().find(|v| v.name == target)
    }

    /// Looks a variable up by name, or fails naming it.
    pub fn require(&self, name: &str) -> Result<&Variable, Ct2Error> {
        self.get(name).ok_or_else(|| Ct2Error::Missing {
            name: name.to_owned(),
        })
    }

    /// A variable's values as f32. Integer-quantised weights (int8/int16 with a per-row
    /// `<name>_scale`) are dequantised: `float = q / scale[row]`.
    pub fn floats(&self, name: &str) -> Result<Vec<f32>, Ct2Error> {
        let var = self.require(name)?;
        match var.dtype {
            DType::I8 | DType::I16 => self.dequantised(var),
            _ => var.floats(),
        }
    }

    fn dequantised(&self, var: &Variable) -> Result<Vec<f32>, Ct2Error> {
        let rows = var.shape.first().copied().unwrap_or(1);
        let scale_name = format!("{}_scale", var.name);
        let bad_scale = |found| Ct2Error::BadScale {
            name: var.name.clone(),
            rows,
            found,
        };
        let scales = match self.get(&scale_name) {
            Some(s) => s.floats()?,
            None => return Err(bad_scale(0)),
        };
        // A single scale covers the whole tensor; otherwise one per row.
        if scales.len() != rows && scales.len() != 1 {
            return Err(bad_scale(scales.len()));
        }
        let q = var.ints()?;
        let row_len = q.len().checked_div(rows).unwrap_or(0);
        Ok(q.iter()
            .enumerate()
            .map(|(i, &v)| {
                let scale = if scales.len() == 1 {
                    scales[0]
                } else {
                    scales[i / row_len.max(1)]
                };
                v as f32 / scale
            })
            .collect())
    }

    /// A scalar integer variable (e.g. `encoder/num_heads`), if present.
    pub fn int_scalar(&self, name: &str) -> Option<i64> {
        let var = self.get(name)?;
        if var.element_count() != 1 {
            return None;
        }
        var.ints().ok()?.first().copied()
    }
}

/// Reads little-endian values, counting bytes; running out is [`Ct2Error::Truncated`].
struct Reader<R> {
    inner: R,
    pos: usize,
}

impl<R: Read> Reader<R> {
    fn io_err(&self, what: &str, e: &std::io::Error) -> Ct2Error {
        self.corrupt(format!("reading {what} failed: {e}"))
    }

    fn fill(&mut self, buf: &mut [u8], what: &str) -> Result<(), Ct2Error> {
        let mut done = 0;
        while done < buf.len() {
            match self.inner.read(&mut buf[done..]) {
                Ok(0) => {
                    return Err(Ct2Error::Truncated {
                        offset: self.pos,
                        what: what.to_owned(),
                    });
                }
                Ok(n) => {
                    done += n;
                    self.pos += n;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_err(what, &e)),
            }
        }
        Ok(())
    }

    /// Reads exactly `n` bytes, growing the buffer only as data arrives.
    fn take(&mut self, n: usize, what: &str) -> Result<Vec<u8>, Ct2Error> {
        let mut out = Vec::with_capacity(n.min(1 << 20));
        let got = (&mut self.inner)
            .take(n as u64)
            .read_to_end(&mut out)
            .map_err(|e| self.io_err(what, &e))?;
        self.pos += got;
        if got < n {
            return Err(Ct2Error::Truncated {
                offset: self.pos,
                what: what.to_owned(),
            });
        }
        Ok(out)
    }

    fn at_end(&mut self) -> Result<bool, Ct2Error> {
        let mut probe = [0u8; 1];
        loop {
            match self.inner.read(&mut probe) {
                Ok(n) => return Ok(n == 0),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_err("the end of the file", &e)),
            }
        }
    }

    fn u8(&mut self, what: &str) -> Result<u8, Ct2Error> {
        let mut b = [0u8; 1];
        self.fill(&mut b, what)?;
        Ok(b[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, Ct2Error> {
        let mut b = [0u8; 2];
        self.fill(&mut b, what)?;
        Ok(u16::from_le_bytes(b))
    }

    fn u32(&mut self, what: &str) -> Result<u32, Ct2Error> {
        let mut b = [0u8; 4];
        self.fill(&mut b, what)?;
        Ok(u32::from_le_bytes(b))
    }

    fn corrupt(&self, what: String) -> Ct2Error {
        Ct2Error::Corrupt {
            offset: self.pos,
            what,
        }
    }

    fn string(&mut self, what: &str) -> Result<String, Ct2Error> {
        let len = usize::from(self.u16(what)?);
        let mut raw = self.take(len, what)?;
        // The length counts a trailing NUL.
        if raw.last() == Some(&0) {
            raw.pop();
        }
        String::from_utf8(raw).map_err(|_| self.corrupt(format!("{what} is not UTF-8")))
    }

    fn variable(&mut self) -> Result<Variable, Ct2Error> {
        let name = self.string("a variable name")?;
        let what = format!("variable `{name}`");
        let rank = usize::from(self.u8(&what)?);
        if rank > MAX_RANK {
            return Err(self.corrupt(format!("{what} has rank {rank}")));
        }
        let mut shape = Vec::with_capacity(rank);
        for _ in 0..rank {
            shape.push(self.u32(&what)? as usize);
        }
        let code = self.u8(&what)?;
        let dtype = DType::from_code(code)
            .ok_or_else(|| self.corrupt(format!("{what} has unknown dtype {code}")))?;
        let byte_count = self.u32(&what)? as usize;
        let expected = shape
            .iter()
            .try_fold(dtype.size_bytes(), |acc, &d| acc.checked_mul(d));
        if expected != Some(byte_count) {
            return Err(self.corrupt(format!(
                "{what} has shape {shape:?} of {dtype:?} but {byte_count} bytes"
            )));
        }
        let data = self.take(byte_count, &what)?;
        Ok(Variable {
            name,
            shape,
            dtype,
            data,
        })
    }
}

/// Writes a `model.bin` (used by tests to build synthetic models).
#[cfg(test)]
pub(crate) fn write_model_bin(model: &Ct2Model) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&SUPPORTED_VERSION.to_le_bytes());
    string(&mut out, &model.spec_name);
    out.extend_from_slice(&model.spec_revision.to_le_bytes());
    out.extend_from_slice(&(model.variables.len() as u32).to_le_bytes());
    for v in &model.variables {
        string(&mut out, &v.name);
        out.push(v.shape.len() as u8);
        for &d in &v.shape {
            out.extend_from_slice(&(d as u32).to_le_bytes());
        }
        out.push(v.dtype.code());
        out.extend_from_slice(&(v.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&v.data);
    }
    out.extend_from_slice(&(model.aliases.len() as u32).to_le_bytes());
    for (alias, target) in &model.aliases {
        string(&mut out, alias);
        string(&mut out, target);
    }
    out
}

/// Builds a variable from f32 values, stored as `dtype` (F32, F16 or BF16). Test helper.
#[cfg(test)]
pub(crate) fn float_variable(
    name: &str,
    shape: &[usize],
    values: &[f32],
    dtype: DType,
) -> Variable {
    let data = match dtype {
        DType::F32 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        DType::F16 => values
            .iter()
            .flat_map(|&v| f16::from_f32(v).to_le_bytes())
            .collect(),
        DType::BF16 => values
            .iter()
            .flat_map(|&v| bf16::from_f32(v).to_le_bytes())
            .collect(),
        other => panic!("float_variable cannot store {other:?}"),
    };
    Variable {
        name: name.to_owned(),
        shape: shape.to_vec(),
        dtype,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Ct2Model {
        Ct2Model {
            spec_name: "WhisperSpec".into(),
            spec_revision: 3,
            variables: vec![
                Variable {
                    name: "enc/num_heads".into(),
                    shape: vec![],
                    dtype: DType::I16,
                    data: 6i16.to_le_bytes().to_vec(),
                },
                float_variable(
                    "emb/weight",
                    &[2, 3],
                    &[1.0, -2.0, 0.5, 0.25, 3.0, -1.5],
                    DType::F16,
                ),
                Variable {
                    name: "lin/weight".into(),
                    shape: vec![2, 2],
                    dtype: DType::I8,
                    data: [10i8, -20, 127, -128].iter().map(|&v| v as u8).collect(),
                },
                float_variable("lin/weight_scale", &[2], &[10.0, 64.0], DType::F32),
            ],
            aliases: vec![("proj/weight".into(), "emb/weight".into())],
        }
    }

    /// The fuzzer's seeds and every input it once failed on parse or fail with an error (and
    /// so do the converter's lookups on what parses), the same from memory as from a file.
    #[test]
    fn fuzz_inputs_parse_or_fail_cleanly() {
        let mut parsed = 0;
        for (path, bytes) in crate::fuzz_inputs("ct2_model") {
            let from_memory = Ct2Model::parse(&bytes);
            assert_eq!(
                from_memory.as_ref().ok(),
                Ct2Model::read(&path).as_ref().ok(),
                "{}",
                path.display()
            );
            let Ok(model) = from_memory else {
                continue;
            };
            parsed += 1;
            let names = model.variables.iter().map(|v| &v.name);
            for name in names.chain(model.aliases.iter().map(|(alias, _)| alias)) {
                let _ = (model.floats(name), model.int_scalar(name));
            }
        }
        assert!(parsed > 0, "no seed parses");
    }

    #[test]
    fn round_trips_variables_aliases_and_scalars() {
        let model = sample();
        let bytes = write_model_bin(&model);
        let parsed = Ct2Model::parse(&bytes).unwrap();
        assert_eq!(parsed, model);
        assert_eq!(parsed.int_scalar("enc/num_heads"), Some(6));
        assert_eq!(
            parsed.floats("proj/weight").unwrap(),
            vec![1.0, -2.0, 0.5, 0.25, 3.0, -1.5]
        );
        assert!(matches!(
            parsed.floats("nope"),
            Err(Ct2Error::Missing { .. })
        ));
    }

    #[test]
    fn dequantises_int8_per_row() {
        let parsed = Ct2Model::parse(&write_model_bin(&sample())).unwrap();
        let values = parsed.floats("lin/weight").unwrap();
        assert_eq!(values, vec![1.0, -2.0, 127.0 / 64.0, -2.0]);
    }

    #[test]
    fn int8_without_scale_is_an_error() {
        let mut model = sample();
        model.variables.pop();
        let parsed = Ct2Model::parse(&write_model_bin(&model)).unwrap();
        let err = parsed.floats("lin/weight").unwrap_err();
        assert!(matches!(err, Ct2Error::BadScale { .. }), "{err}");
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = write_model_bin(&sample());
        for cut in 0..bytes.len() {
            let err = Ct2Model::parse(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(err, Ct2Error::Truncated { .. }),
                "cut at {cut}: {err}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            Ct2Model::parse(&longer),
            Err(Ct2Error::Corrupt { .. })
        ));
    }

    #[test]
    fn rejects_wrong_version_and_inconsistent_sizes() {
        let mut bytes = write_model_bin(&sample());
        bytes[0] = 5;
        assert!(matches!(
            Ct2Model::parse(&bytes),
            Err(Ct2Error::UnsupportedVersion { found: 5 })
        ));
        let mut model = sample();
        model.variables[1].data.pop();
        let err = Ct2Model::parse(&write_model_bin(&model)).unwrap_err();
        assert!(matches!(err, Ct2Error::Corrupt { .. }), "{err}");
    }
}
