//! Command-line arguments (clap derive); every `///` line is the Italian
//! `--help` text users read.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The help page layout, with Italian headings.
const TEMPLATE: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// Genera l'Allegato al PIAO, la Relazione sulla Performance e il cruscotto
/// per la Giunta dalla cartella di lavoro Excel dell'ufficio di pianificazione.
#[derive(Debug, Parser)]
#[command(
    name = "piao",
    version,
    about,
    long_about = None,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    help_template = TEMPLATE,
    subcommand_help_heading = "Comandi",
    subcommand_value_name = "COMANDO",
    next_help_heading = "Opzioni"
)]
pub struct Cli {
    /// Mostra questo aiuto.
    #[arg(short, long, action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// Mostra la versione.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    pub version: Option<bool>,
    /// Il comando da eseguire.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Produce tutti i documenti (PDF, xlsx, results.json) da una o più cartelle di lavoro.
    Build(BuildArgs),
    /// Controlla una cartella di lavoro senza produrre documenti.
    Check(CheckArgs),
    /// Scrive una cartella di lavoro vuota da compilare, con note e istruzioni.
    Template(TemplateArgs),
    /// Ricostruisce i documenti a ogni modifica della cartella di lavoro o dei modelli.
    Watch(WatchArgs),
    /// Confronta due versioni del piano: obiettivi, indicatori, target, pesi e consuntivi cambiati.
    Diff(DiffArgs),
    /// Apre l'ufficio di pianificazione nel browser: carica, controlla, confronta e scarica i documenti.
    Serve(ServeArgs),
    /// Copia i modelli di impaginazione incorporati in una cartella, come base per i propri.
    Layouts(LayoutsArgs),
}

/// Options of `piao layouts`.
#[derive(Debug, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct LayoutsArgs {
    /// La cartella in cui scrivere i modelli (i file già presenti non vengono sovrascritti).
    #[arg(value_name = "CARTELLA", help_heading = "Argomenti")]
    pub dir: PathBuf,
}

/// Options of `piao build`.
#[derive(Debug, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct BuildArgs {
    /// Cartelle di lavoro (.xlsx, .xlsm, .xls, .ods) o cartelle che le contengono.
    #[arg(required = true, value_name = "CARTELLA_DI_LAVORO", help_heading = "Argomenti")]
    pub inputs: Vec<PathBuf>,
    /// Where and how the documents are written.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The output options `build` and `watch` share.
#[derive(Debug, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct OutputArgs {
    /// Cartella in cui scrivere i documenti.
    #[arg(long, short, value_name = "CARTELLA", default_value = "out")]
    pub out: PathBuf,
    /// Cartella di modelli typst che sostituiscono, file per file, quelli incorporati.
    #[arg(long, value_name = "CARTELLA")]
    pub layouts: Option<PathBuf>,
    /// Schema del nome dei file (minijinja): variabili anno, documento, ente, file.
    #[arg(long, value_name = "SCHEMA", default_value = "{{anno}}_{{documento}}")]
    pub nomi: String,
    /// Diagnostiche su una riga ciascuna, per gli script.
    #[arg(long)]
    pub breve: bool,
}

/// Options of `piao check`.
#[derive(Debug, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct CheckArgs {
    /// La cartella di lavoro da controllare.
    #[arg(value_name = "CARTELLA_DI_LAVORO", help_heading = "Argomenti")]
    pub input: PathBuf,
    /// Diagnostiche su una riga ciascuna, per gli script.
    #[arg(long)]
    pub breve: bool,
}

/// Options of `piao template`.
#[derive(Debug, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct TemplateArgs {
    /// Il file .xlsx da creare (non deve esistere).
    #[arg(value_name = "FILE", help_heading = "Argomenti")]
    pub file: PathBuf,
    /// Anno di riferimento (primo anno del triennio); predefinito: l'anno prossimo.
    #[arg(long, value_name = "ANNO", value_parser = clap::value_parser!(i32).range(1990..2200))]
    pub anno: Option<i32>,
    /// Compila il modello con un piccolo piano di esempio.
    #[arg(long)]
    pub esempio: bool,
}

/// Options of `piao diff`.
#[derive(Debug, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct DiffArgs {
    /// La versione precedente (ad es. quella approvata).
    #[arg(value_name = "PRIMA", help_heading = "Argomenti", display_order = 1)]
    pub old: PathBuf,
    /// La versione nuova.
    #[arg(value_name = "DOPO", help_heading = "Argomenti", display_order = 2)]
    pub new: PathBuf,
    /// Scrive il confronto anche in un file .xlsx.
    #[arg(long, short, value_name = "FILE.xlsx")]
    pub out: Option<PathBuf>,
    /// Diagnostiche su una riga ciascuna, per gli script.
    #[arg(long)]
    pub breve: bool,
}

/// Options of `piao watch`.
#[derive(Debug, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct WatchArgs {
    /// La cartella di lavoro da sorvegliare.
    #[arg(value_name = "CARTELLA_DI_LAVORO", help_heading = "Argomenti")]
    pub input: PathBuf,
    /// Where and how the documents are written.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Termina dopo N ricostruzioni (per gli script e i test).
    #[arg(long, value_name = "N", hide = true)]
    pub ricostruzioni: Option<usize>,
}

/// Options of `piao serve`.
#[derive(Debug, Clone, Args)]
#[command(help_template = TEMPLATE, next_help_heading = "Opzioni")]
pub struct ServeArgs {
    /// Una cartella di lavoro da sorvegliare: a ogni salvataggio diventa una nuova versione e la pagina si aggiorna.
    #[arg(value_name = "CARTELLA_DI_LAVORO", help_heading = "Argomenti")]
    pub input: Option<PathBuf>,
    /// La porta su cui ascoltare.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PORT)]
    pub porta: u16,
    /// L'indirizzo su cui ascoltare; diverso da 127.0.0.1 richiede una parola d'accesso.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub indirizzo: std::net::IpAddr,
    /// La cartella in cui conservare le versioni (predefinita: la cartella dei dati dell'utente, sottocartella piao).
    #[arg(long, value_name = "CARTELLA")]
    pub dati: Option<PathBuf>,
    /// Apre il browser predefinito sulla pagina.
    #[arg(long)]
    pub apri: bool,
    /// La parola d'accesso chiesta dalle pagine (meglio: variabile PIAO_PASSWORD o --file-password).
    #[arg(long, value_name = "PAROLA")]
    pub password: Option<String>,
    /// Un file che contiene la parola d'accesso (la prima riga).
    #[arg(long = "file-password", value_name = "FILE")]
    pub file_password: Option<PathBuf>,
    /// HTTPS: il certificato del server in formato PEM, con gli intermedi (anche: variabile PIAO_CERTIFICATO).
    #[arg(long, value_name = "FILE", requires = "chiave")]
    pub certificato: Option<PathBuf>,
    /// HTTPS: la chiave privata del certificato in formato PEM (anche: variabile PIAO_CHIAVE).
    #[arg(long, value_name = "FILE", requires = "certificato")]
    pub chiave: Option<PathBuf>,
}

/// The port `piao serve` listens on unless `--porta` says otherwise.
pub const DEFAULT_PORT: u16 = 8080;

impl Default for ServeArgs {
    /// `piao serve` with no options (what a double-click runs, with `apri`).
    fn default() -> Self {
        ServeArgs {
            input: None,
            porta: DEFAULT_PORT,
            indirizzo: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            dati: None,
            apri: false,
            password: None,
            file_password: None,
            certificato: None,
            chiave: None,
        }
    }
}
