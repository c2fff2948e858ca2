use anyhow::Result;

use crate::cli::TranscribeArgs;
use crate::paths::Paths;
use crate::transcribe::transcribe_wav;

pub fn run(args: TranscribeArgs, paths: &Paths) -> Result<()> {
    let options = super::transcribe_options(&args.model, paths)?;
    // Every audio error names the file already.
    let transcript = transcribe_wav(&args.file, &options)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&transcript)?);
    } else {
        println!("{}", transcript.text);
    }
    Ok(())
}
