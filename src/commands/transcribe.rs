use anyhow::Result;

use crate::cli::TranscribeArgs;
use crate::paths::Paths;
use crate::settings::Settings;
use crate::transcribe::transcribe_wav;

pub fn run(args: TranscribeArgs, paths: &Paths) -> Result<()> {
    let settings = Settings::load(paths, &args.flags())?;
    let options = super::transcribe_options(&args.model, &settings, paths)?;
    // Every audio error names the file already.
    let transcript = transcribe_wav(&args.file, &options)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&transcript)?);
    } else {
        println!("{}", transcript.text);
    }
    Ok(())
}
