//! The CTranslate2 `model.bin` reader the converter uses, and the lookups it makes.
#![no_main]

use ct2ggml::ct2::Ct2Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(model) = Ct2Model::parse(data) else {
        return;
    };
    let names = model
        .variables
        .iter()
        .map(|v| v.name.clone())
        .chain(model.aliases.iter().map(|(alias, _)| alias.clone()));
    for name in names {
        let _ = model.floats(&name);
        let _ = model.int_scalar(&name);
    }
});
