//! Command-line interface: arguments, output and exit codes.
//!
//! Exit codes: 0 success, 1 content errors, 2 usage, configuration, I/O or a
//! refused output folder.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{self, Options};
use crate::diagnostic;
use crate::error::Error;
use crate::write;

#[derive(Debug, Parser)]
#[command(
    name = "companion",
    version,
    about = "Build a cross-linked companion website for a research paper",
    long_about = "Build a cross-linked companion website for a research paper.\n\nNotes in content/ (Markdown with YAML front matter) become a static site in which every link, citation and tension is checked at build time."
)]
pub struct Cli {
    /// Project folder (holding book.toml and content/)
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Print only problems, not the summary line
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (the default)
    Build {
        /// Output folder (default: build.output in book.toml, "site")
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Absolute URL the site is published at (overrides site.base-url)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Check the content without writing anything
    Check {
        /// Absolute URL the site is published at (overrides site.base-url)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Serve the site on 127.0.0.1, rebuilding and reloading on changes
    Serve {
        /// Port to listen on; 0 picks a free one (printed when serving)
        #[arg(long, short, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the site to the network
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        host: String,
        /// Open the site in the default browser ($BROWSER, else the system's)
        #[arg(long)]
        open: bool,
    },
    /// Start a new companion in DIR (a new or empty folder, or a fresh repository)
    New {
        /// The folder to write into, such as `.` in a fresh clone of your repository
        dir: PathBuf,
        /// Git repository the Pages workflow installs companion from
        /// (default: companion's own repository)
        #[arg(long, value_name = "URL")]
        tool_git: Option<String>,
        /// Commit or tag of that repository to install (default: the commit
        /// this companion was built from)
        #[arg(long, value_name = "REV")]
        tool_rev: Option<String>,
    },
    /// List the bundled citation styles, their class and whether a site can use them
    Styles,
    /// Read a REFI-QDA project (`.qdpx`) into quote notes, or a codebook
    /// (`.qdc`) into tension notes: a code with two sub-codes becomes a
    /// tension with those poles; nothing a researcher wrote is overwritten
    Import {
        /// `qdpx`: a whole project (NVivo, ATLAS.ti, MAXQDA, QualCoder…);
        /// `qdc`: a codebook, as Taguette and the others export it
        format: ImportFormat,
        /// The file to read
        file: PathBuf,
        /// The level of new tensions whose parent code names none
        #[arg(long, value_enum, default_value = "experienced")]
        level: LevelArg,
        /// A TOML file mapping cases to participants and codes to tensions
        /// (`[speakers]`, `[codes]`, as `[import]` in book.toml); keep it
        /// out of the repository when it holds real names (qdpx only)
        #[arg(long, value_name = "MAP")]
        codes: Option<PathBuf>,
        /// Import only the selections carrying this code, such as `publish`
        /// (qdpx only)
        #[arg(long, value_name = "CODE")]
        only: Option<String>,
        /// Print what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the analysis for qualitative data analysis software (REFI-QDA):
    /// tensions as codes with their poles, participants as cases, quotes as
    /// coded selections
    Export {
        /// `qdpx`: the whole project (a zip); `qdc`: the codebook alone
        format: ExportFormat,
        /// The file to write, such as `companion.qdpx`
        file: PathBuf,
        /// How a project's selections count characters: Unicode code points,
        /// as the standard says, or UTF-16 units, as NVivo reads them
        #[arg(long, value_enum, default_value_t = PositionsArg::CodePoints)]
        positions: PositionsArg,
    },
    /// Delete the output folder (only if companion created it)
    Clean {
        /// Output folder (default: build.output in book.toml, "site")
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

/// What `companion export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// A REFI-QDA project: `project.qde` and the participants' texts, zipped
    Qdpx,
    /// A REFI-QDA codebook
    Qdc,
}

/// How an exported project counts positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PositionsArg {
    /// Unicode code points (the standard; ATLAS.ti, MAXQDA, QualCoder)
    CodePoints,
    /// UTF-16 units: a character beyond the Basic Multilingual Plane, such
    /// as an emoji, counts twice (NVivo)
    Utf16,
}

/// What `companion import` reads.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImportFormat {
    /// A REFI-QDA project: coded selections become quote notes
    Qdpx,
    /// A REFI-QDA codebook: codes become tension notes
    Qdc,
}

/// A tension level, for `import --level`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LevelArg {
    Experienced,
    Inherent,
    Management,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let command = cli.command.unwrap_or(Command::Build {
        output: None,
        base_url: None,
    });
    let mut opts = Options {
        root: cli.root,
        ..Options::default()
    };
    let write = match command {
        Command::Build { output, base_url } => {
            opts.output = output;
            opts.base_url = base_url;
            true
        }
        Command::Check { base_url } => {
            opts.base_url = base_url;
            false
        }
        Command::New {
            dir,
            tool_git,
            tool_rev,
        } => {
            let install = crate::cmd::new::Install::new(tool_git.as_deref(), tool_rev.as_deref())?;
            let done = crate::cmd::new::scaffold(&dir, &install)?;
            if !cli.quiet {
                print!("{}", crate::cmd::new::report(&dir, &install, &done));
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Serve { port, host, open } => {
            let listen = crate::cmd::serve::Listen { host, port, open };
            crate::cmd::serve::serve(&opts, &listen, cli.quiet)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Styles => {
            print!("{}", styles_table());
            return Ok(ExitCode::SUCCESS);
        }
        Command::Export {
            format,
            file,
            positions,
        } => {
            let unit = match positions {
                PositionsArg::CodePoints => crate::qda::Unit::CodePoints,
                PositionsArg::Utf16 => crate::qda::Unit::Utf16,
            };
            return export(&opts, format, &file, unit, cli.quiet);
        }
        Command::Import {
            format,
            file,
            level,
            codes,
            only,
            dry_run,
        } => {
            let level = match level {
                LevelArg::Experienced => crate::model::Level::Experienced,
                LevelArg::Inherent => crate::model::Level::Inherent,
                LevelArg::Management => crate::model::Level::Management,
            };
            let plan = match format {
                ImportFormat::Qdc => {
                    if codes.is_some() || only.is_some() {
                        return Err(Error::Config(
                            "error: --codes and --only are for `import qdpx`; a codebook has no selections".into(),
                        ));
                    }
                    crate::qda::import_codebook(&opts.root, &file, level)?
                }
                ImportFormat::Qdpx => {
                    let config = build::load_config(&opts)?;
                    let request = crate::qda::Request::new(&config, codes.as_deref(), only, level)?;
                    match crate::qda::import_project(&opts.root, &file, &request)? {
                        Ok(plan) => plan,
                        Err(mut diagnostics) => {
                            diagnostic::sort(&mut diagnostics);
                            let mut err = std::io::stderr().lock();
                            for d in &diagnostics {
                                let _ = writeln!(err, "{d}");
                            }
                            let _ = writeln!(
                                err,
                                "{}",
                                diagnostic::failure_summary(&diagnostics, "import")
                            );
                            return Ok(ExitCode::from(1));
                        }
                    }
                }
            };
            if !dry_run {
                write_plan(&opts.root, &plan)?;
            }
            if !cli.quiet || dry_run {
                print!(
                    "{}",
                    plan.report(if dry_run { "would write" } else { "wrote" })
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Clean { output } => {
            opts.output = output;
            let config = build::load_config(&opts)?;
            let out = build::output_dir(&opts, &config);
            let removed = write::clean(&out)?;
            if !cli.quiet {
                let what = if removed {
                    "removed"
                } else {
                    "nothing to remove at"
                };
                println!("{what} {}", out.display());
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    let report = build::run(&opts, write)?;
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in &report.diagnostics {
        let _ = writeln!(err, "{d}");
    }
    if report.failed() {
        let verb = if write { "build" } else { "check" };
        let _ = writeln!(
            err,
            "{}",
            diagnostic::failure_summary(&report.diagnostics, verb)
        );
        return Ok(ExitCode::from(1));
    }
    let warnings = report.diagnostics.len();
    if !cli.quiet {
        let secs = report.elapsed.as_secs_f64();
        let warn = if warnings > 0 {
            format!(", {warnings} warning{}", plural(warnings))
        } else {
            String::new()
        };
        if write {
            println!(
                "built {} page{} ({} files) into {} in {secs:.2} s{warn}",
                report.pages,
                plural(report.pages),
                report.files,
                report.output.display()
            );
        } else {
            println!(
                "checked {} page{} in {secs:.2} s: no errors{warn}",
                report.pages,
                plural(report.pages)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes an import's plan: new notes only where none exists (a note that
/// appeared meanwhile is not overwritten), updates over the import's own.
fn write_plan(root: &std::path::Path, plan: &crate::qda::Plan) -> Result<(), Error> {
    for (rel, text) in &plan.write {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        f.write_all(text.as_bytes())
            .map_err(|e| Error::io(&path, e))?;
    }
    for (rel, text) in &plan.update {
        let path = root.join(rel);
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// `companion export`: checks the project like `check`, then writes the
/// analysis to `file`.
fn export(
    opts: &Options,
    format: ExportFormat,
    file: &std::path::Path,
    unit: crate::qda::Unit,
    quiet: bool,
) -> Result<ExitCode, Error> {
    let config = build::load_config(opts)?;
    let (_, prepared, diagnostics) = build::prepare(&opts.root, &config)?;
    let mut err = std::io::stderr().lock();
    for d in &diagnostics {
        let _ = writeln!(err, "{d}");
    }
    let Some(prepared) = prepared else {
        let _ = writeln!(
            err,
            "{}",
            diagnostic::failure_summary(&diagnostics, "export")
        );
        return Ok(ExitCode::from(1));
    };
    let site = &prepared.site;
    let bytes = match format {
        ExportFormat::Qdc => crate::qda::codebook(site),
        ExportFormat::Qdpx => crate::qda::qdpx(
            site,
            &config.site.title,
            config.site.author.as_deref().unwrap_or("companion"),
            unit,
        )
        .map_err(|e| Error::io(file, e))?,
    };
    std::fs::write(file, bytes).map_err(|e| Error::io(file, e))?;
    if !quiet {
        let q = &site.qual;
        println!(
            "wrote {}: {} tension{} as codes, {} participant{} as cases, {} quote{} as coded selections",
            file.display(),
            q.tensions.len(),
            plural(q.tensions.len()),
            q.participants.len(),
            plural(q.participants.len()),
            q.quotes.len(),
            plural(q.quotes.len())
        );
        if matches!(format, ExportFormat::Qdpx) {
            println!("positions count {}", unit.name());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `companion styles`: every bundled style, one line each.
fn styles_table() -> String {
    const HEAD: &str = "name (for [bibliography] style)";
    let styles = crate::csl::bundled_styles();
    let mut rows: Vec<(String, &str, &str, &str)> = vec![(
        "voluntary-sector-review".into(),
        "author-date",
        "yes",
        "Voluntary Sector Review (the default)",
    )];
    let titles: Vec<String> = styles
        .iter()
        .map(|s| match &s.names[1..] {
            [] => s.title.to_string(),
            also => format!("{} (also: {})", s.title, also.join(", ")),
        })
        .collect();
    rows.extend(styles.iter().zip(&titles).map(|(s, title)| {
        let usable = if s.accepted { "yes" } else { "no: notes" };
        (s.names[0].to_string(), s.class, usable, title.as_str())
    }));
    let width = rows
        .iter()
        .map(|r| r.0.chars().count())
        .chain([HEAD.len()])
        .max()
        .unwrap_or(0);
    let mut out = format!("{HEAD:width$}  {:11}  {:9}  title\n", "class", "usable");
    for (names, class, usable, title) in rows {
        out.push_str(&format!(
            "{names:width$}  {class:11}  {usable:9}  {title}\n"
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
