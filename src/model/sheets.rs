//! The input contract as data: every sheet and column with its synonyms
//! (docs/cartella-di-lavoro.md is the same contract for users).

use crate::read::{ColumnSpec, SheetSpec, YearKind};

const fn col(key: &'static str, names: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec { key, names, required }
}

/// `Ente`: key / value.
pub const ENTE: SheetSpec = SheetSpec {
    names: &["Ente"],
    columns: &[col("voce", &["Voce", "Campo"], true), col("valore", &["Valore"], true)],
    year_columns: &[],
};

/// `Ambiti`: strategic areas or BSC perspectives.
pub const AMBITI: SheetSpec = SheetSpec {
    names: &["Ambiti", "Aree strategiche", "Ambiti strategici"],
    columns: &[
        col("codice", &["Codice", "Cod."], true),
        col("denominazione", &["Denominazione", "Ambito", "Area strategica", "Ambito strategico"], true),
        col("prospettiva", &["Prospettiva", "Prospettiva BSC"], false),
        col("peso", &["Peso", "Peso su ente"], false),
    ],
    year_columns: &[],
};

/// `Obiettivi`: every objective, any level.
pub const OBIETTIVI: SheetSpec = SheetSpec {
    names: &["Obiettivi"],
    columns: &[
        col("codice", &["Codice", "Cod.", "Codice obiettivo"], true),
        col("livello", &["Livello", "Tipo"], true),
        col("titolo", &["Titolo", "Obiettivo", "Denominazione"], true),
        col("descrizione", &["Descrizione"], false),
        col("ambito", &["Ambito", "Ambito strategico", "Area strategica"], false),
        col("prospettiva", &["Prospettiva", "Prospettiva BSC"], false),
        col("padre", &["Obiettivo strategico", "Padre", "Obiettivo padre", "OS"], false),
        col("programma_intervento", &["Programma di intervento", "Programma intervento"], false),
        col("missione", &["Missione", "Missione DM 27/03/2013"], false),
        col("programma", &["Programma", "Programma DM 27/03/2013"], false),
        col("struttura", &["Struttura", "Area di responsabilità", "Area", "Unità organizzativa"], false),
        col("ufficio", &["Ufficio"], false),
        col("risorse", &["Risorse economiche", "Risorse"], false),
        col("peso", &["Peso", "Peso su AS", "Peso su ambito"], false),
    ],
    year_columns: &[],
};

/// `Indicatori`: one row per indicator.
pub const INDICATORI: SheetSpec = SheetSpec {
    names: &["Indicatori"],
    columns: &[
        col("codice", &["Codice", "Cod.", "Codice indicatore"], true),
        col("obiettivo", &["Obiettivo", "Codice obiettivo"], true),
        col("nome", &["Nome", "Indicatore", "Indicatori"], true),
        col("formula", &["Formula", "Descrizione", "Algoritmo", "Modalità di calcolo"], false),
        col("tipologia", &["Tipologia", "Tipo"], false),
        col("prospettiva", &["Prospettiva"], false),
        col("udm", &["UdM", "Unità di misura"], false),
        col("fonte", &["Fonte"], false),
        col("operatore", &["Operatore", "Verso", "Polarità"], false),
        col("baseline", &["Baseline", "Stato", "Valore base"], false),
        col("anno_baseline", &["Anno baseline"], false),
        col("target", &["Target"], false),
        col("peso", &["Peso", "Peso indicatore", "Peso indicatori"], false),
    ],
    year_columns: &[("target", YearKind::Target), ("", YearKind::Target), ("consuntivo", YearKind::Actual), ("valori", YearKind::Baseline)],
};

/// `Consuntivi`: actual values.
pub const CONSUNTIVI: SheetSpec = SheetSpec {
    names: &["Consuntivi"],
    columns: &[
        col("indicatore", &["Indicatore", "Codice indicatore", "Codice"], true),
        col("anno", &["Anno"], true),
        col("valore", &["Valore", "Consuntivo", "Actual", "Risultato"], true),
        col("note", &["Note", "Motivazione", "Scostamento"], false),
        col("neutralizzato", &["Neutralizzato", "Non valutabile"], false),
    ],
    year_columns: &[],
};

/// `Strutture`: organisational units.
pub const STRUTTURE: SheetSpec = SheetSpec {
    names: &["Strutture"],
    columns: &[
        col("codice", &["Codice"], true),
        col("denominazione", &["Denominazione"], true),
        col("tipo", &["Tipo"], false),
        col("responsabile", &["Responsabile"], false),
        col("padre", &["Padre"], false),
    ],
    year_columns: &[],
};

/// `Assegnazioni`: objectives assigned to people or units.
pub const ASSEGNAZIONI: SheetSpec = SheetSpec {
    names: &["Assegnazioni"],
    columns: &[
        col("soggetto", &["Soggetto"], true),
        col("obiettivo", &["Obiettivo"], false),
        col("indicatore", &["Indicatore"], false),
        col("peso", &["Peso"], false),
    ],
    year_columns: &[],
};

/// `Bilancio`: the economic-financial dimension.
pub const BILANCIO: SheetSpec = SheetSpec {
    names: &["Bilancio"],
    columns: &[
        col("sezione", &["Sezione"], false),
        col("voce", &["Voce"], true),
        col("preventivo", &["Preventivo"], false),
        col("aggiornamento", &["Aggiornamento"], false),
        col("consuntivo", &["Consuntivo"], false),
    ],
    year_columns: &[],
};
