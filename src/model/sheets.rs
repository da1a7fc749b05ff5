//! The input contract as data: every sheet and column with its synonyms
//! (docs/cartella-di-lavoro.md is the same contract for users).

use crate::read::{ColumnSpec, SheetSpec, YearKind};

const fn col(key: &'static str, names: &'static [&'static str], required: bool, note: &'static str) -> ColumnSpec {
    ColumnSpec { key, names, required, note }
}

/// `Ente`: key / value.
pub const ENTE: SheetSpec = SheetSpec {
    names: &["Ente"],
    columns: &[
        col(
            "voce",
            &["Voce", "Campo"],
            true,
            "Il nome della voce: Denominazione, Anno, Triennio, Presidente, Segretario generale, Delibera, Data, Soglia raggiunto, Soglia parziale, Tetto, Soglia minima, Tolleranza giorni, Logo, Cruscotto per (Ambito oppure Missione).",
        ),
        col("valore", &["Valore"], true, "Il valore della voce (testo, numero, percentuale o data)."),
    ],
    note: "Dati dell'ente e parametri del sistema di misurazione: una voce per riga.",
    year_columns: &[],
};

/// `Ambiti`: strategic areas or BSC perspectives.
pub const AMBITI: SheetSpec = SheetSpec {
    names: &["Ambiti", "Aree strategiche", "Ambiti strategici"],
    columns: &[
        col(
            "codice",
            &["Codice", "Cod."],
            true,
            "Codice dell'ambito strategico o della prospettiva, unico (ad es. 011, 1, IMP).",
        ),
        col(
            "denominazione",
            &["Denominazione", "Ambito", "Area strategica", "Ambito strategico"],
            true,
            "Nome dell'ambito strategico.",
        ),
        col(
            "prospettiva",
            &["Prospettiva", "Prospettiva BSC"],
            false,
            "Prospettiva BSC: Imprese, territorio e consumatori; Processi interni; Apprendimento, crescita e innovazione; Economico-finanziaria.",
        ),
        col(
            "peso",
            &["Peso", "Peso su ente"],
            false,
            "Peso dell'ambito nell'indicatore sintetico dell'ente (ad es. 25%); vuoto = pesi uguali.",
        ),
    ],
    note: "Ambiti strategici o prospettive BSC.",
    year_columns: &[],
};

/// `Obiettivi`: every objective, any level.
pub const OBIETTIVI: SheetSpec = SheetSpec {
    names: &["Obiettivi"],
    columns: &[
        col(
            "codice",
            &["Codice", "Cod.", "Codice obiettivo"],
            true,
            "Codice dell'obiettivo, unico (ad es. 01_01_OS01, 03_01_OP04).",
        ),
        col("livello", &["Livello", "Tipo"], true, "Strategico oppure Operativo."),
        col("titolo", &["Titolo", "Obiettivo", "Denominazione"], true, "Titolo dell'obiettivo."),
        col("descrizione", &["Descrizione"], false, "Descrizione estesa (facoltativa)."),
        col(
            "ambito",
            &["Ambito", "Ambito strategico", "Area strategica"],
            false,
            "Per gli obiettivi strategici: codice dell'ambito (foglio Ambiti).",
        ),
        col(
            "prospettiva",
            &["Prospettiva", "Prospettiva BSC"],
            false,
            "Prospettiva BSC, se non si usa il foglio Ambiti.",
        ),
        col(
            "padre",
            &["Obiettivo strategico", "Padre", "Obiettivo padre", "OS"],
            false,
            "Per gli obiettivi operativi: codice dell'obiettivo strategico di riferimento.",
        ),
        col(
            "programma_intervento",
            &["Programma di intervento", "Programma intervento"],
            false,
            "Programma di intervento: raggruppa gli obiettivi operativi nelle tabelle.",
        ),
        col(
            "missione",
            &["Missione", "Missione DM 27/03/2013"],
            false,
            "Missione del D.M. 27/03/2013 (ad es. 011 - Competitività e sviluppo delle imprese).",
        ),
        col(
            "programma",
            &["Programma", "Programma DM 27/03/2013"],
            false,
            "Programma del D.M. 27/03/2013 (ad es. 005 - Promozione ed attuazione di politiche di sviluppo...).",
        ),
        col(
            "struttura",
            &["Struttura", "Area di responsabilità", "Area", "Unità organizzativa"],
            false,
            "Struttura responsabile: codice o denominazione del foglio Strutture.",
        ),
        col("ufficio", &["Ufficio"], false, "Ufficio che segue l'obiettivo."),
        col(
            "risorse",
            &["Risorse economiche", "Risorse"],
            false,
            "Risorse economiche: importo (€ 135.000,00) o testo (Risorse interne).",
        ),
        col(
            "peso",
            &["Peso", "Peso su AS", "Peso su ambito"],
            false,
            "Peso rispetto al padre (ambito o obiettivo strategico); vuoto = pesi uguali.",
        ),
        col(
            "owner",
            &["Owner", "Responsabile", "Referente"],
            false,
            "Chi risponde dell'obiettivo (persona o servizio), stampato come scritto.",
        ),
        col(
            "benefici",
            &["Benefici attesi", "Benefici", "Risultati attesi"],
            false,
            "Benefici attesi (tabella della strategia).",
        ),
        col(
            "azioni",
            &["Azioni/Interventi", "Azioni / Interventi", "Azioni e interventi", "Azioni", "Interventi"],
            false,
            "Azioni o interventi con cui si realizza l'obiettivo (tabella della strategia).",
        ),
        col(
            "coinvolte",
            &["Strutture coinvolte", "Servizi interni coinvolti", "Servizi coinvolti", "Uffici coinvolti"],
            false,
            "Strutture o servizi coinvolti, separati da / oppure ; (codici o denominazioni del foglio Strutture, oppure testo libero).",
        ),
        col(
            "area_servizio",
            &["Area servizio", "Area del servizio", "Area di appartenenza"],
            false,
            "Area dirigenziale a cui l'obiettivo fa capo nelle tabelle dei servizi (ad es. AREA III, Trasversale).",
        ),
        col(
            "albero",
            &["Albero", "Albero della performance"],
            false,
            "Sì se l'obiettivo entra nell'Albero della performance, No se no (ammessi anche X, vero, falso); vuoto = sì.",
        ),
        col(
            "produttivita",
            &["Produttività", "Premio produttività", "Premio di produttività"],
            false,
            "Sì se l'obiettivo conta per la produttività della struttura, No se no (ammessi anche X, vero, falso); vuoto = no quando la colonna è compilata.",
        ),
    ],
    note: "Tutti gli obiettivi, strategici e operativi.",
    year_columns: &[],
};

/// `Indicatori`: one row per indicator.
pub const INDICATORI: SheetSpec = SheetSpec {
    names: &["Indicatori"],
    columns: &[
        col("codice", &["Codice", "Cod.", "Codice indicatore"], true, "Codice dell'indicatore, unico."),
        col(
            "obiettivo",
            &["Obiettivo", "Codice obiettivo"],
            true,
            "Codice dell'obiettivo misurato (foglio Obiettivi).",
        ),
        col("nome", &["Nome", "Indicatore", "Indicatori"], true, "Nome breve dell'indicatore."),
        col(
            "formula",
            &["Formula", "Descrizione", "Algoritmo", "Modalità di calcolo"],
            false,
            "Come si calcola (formula o algoritmo).",
        ),
        col(
            "tipologia",
            &["Tipologia", "Tipo"],
            false,
            "Efficacia, Efficienza, Volume, Qualità, Salute economica, ...",
        ),
        col("prospettiva", &["Prospettiva"], false, "Prospettiva BSC del singolo indicatore (facoltativa)."),
        col("udm", &["UdM", "Unità di misura"], false, "Unità di misura: n., %, gg, h, €, data, si/no, 1-5."),
        col("fonte", &["Fonte"], false, "Fonte del dato: PIRA, Pareto, ..."),
        col(
            "operatore",
            &["Operatore", "Verso", "Polarità"],
            false,
            "Verso del target quando il target non ne scrive uno: >=, >, <=, <, =, entro. Predefinito >=.",
        ),
        col(
            "baseline",
            &["Baseline", "Stato", "Valore base"],
            false,
            "Valore di partenza, nella stessa forma dei target, oppure n.d.",
        ),
        col("anno_baseline", &["Anno baseline"], false, "Anno a cui si riferisce la baseline."),
        col("target", &["Target"], false, "Target dell'anno di riferimento, se non si usano le colonne Target {anno}."),
        col(
            "peso",
            &["Peso", "Peso indicatore", "Peso indicatori"],
            false,
            "Peso dell'indicatore nell'obiettivo; vuoto = pesi uguali.",
        ),
        col(
            "owner",
            &["Owner", "Responsabile", "Referente"],
            false,
            "Chi risponde dell'indicatore (servizio o persona), stampato come scritto.",
        ),
        col(
            "scadenze",
            &["Scadenze intermedie", "Scadenza intermedia", "Monitoraggio intermedio"],
            false,
            "Scadenze intermedie di monitoraggio (ad es. 30/06/2022), stampate accanto al target.",
        ),
    ],
    note: "Un indicatore per riga, con baseline e target per anno (colonne Target {anno}).",
    year_columns: &[
        ("target", YearKind::Target),
        ("", YearKind::Target),
        ("consuntivo", YearKind::Actual),
        ("valori", YearKind::Baseline),
    ],
};

/// `Consuntivi`: actual values.
pub const CONSUNTIVI: SheetSpec = SheetSpec {
    names: &["Consuntivi"],
    columns: &[
        col(
            "indicatore",
            &["Indicatore", "Codice indicatore", "Codice"],
            true,
            "Codice dell'indicatore (foglio Indicatori).",
        ),
        col("anno", &["Anno"], true, "Anno del consuntivo."),
        col(
            "valore",
            &["Valore", "Consuntivo", "Actual", "Risultato"],
            true,
            "Valore a consuntivo, nella stessa forma e unità del target (numero, %, data, si/no, livello): contro «>= 80%» scrivere «75%»; «75» senza % è un errore. Un numero digitato vale come lo mostra il foglio (0,75 in una cella formattata come percentuale è 75%).",
        ),
        col(
            "note",
            &["Note", "Motivazione", "Scostamento"],
            false,
            "Spiegazione dello scostamento, stampata accanto al risultato.",
        ),
        col(
            "neutralizzato",
            &["Neutralizzato", "Non valutabile"],
            false,
            "si per escludere l'indicatore dal calcolo; il suo peso è redistribuito.",
        ),
    ],
    note: "I valori a consuntivo, compilati dopo la fine dell'anno.",
    year_columns: &[],
};

/// `Strutture`: organisational units.
pub const STRUTTURE: SheetSpec = SheetSpec {
    names: &["Strutture"],
    columns: &[
        col("codice", &["Codice"], true, "Codice della struttura, unico."),
        col("denominazione", &["Denominazione"], true, "Nome della struttura."),
        col("tipo", &["Tipo"], false, "Segreteria generale, Area dirigenziale, Servizio, Ufficio, Azienda speciale."),
        col("responsabile", &["Responsabile"], false, "Nome del responsabile (dirigente)."),
        col("padre", &["Padre"], false, "Codice della struttura di livello superiore."),
    ],
    note: "Le strutture organizzative e i loro responsabili.",
    year_columns: &[],
};

/// `Assegnazioni`: objectives assigned to people or units.
pub const ASSEGNAZIONI: SheetSpec = SheetSpec {
    names: &["Assegnazioni"],
    columns: &[
        col("soggetto", &["Soggetto"], true, "Codice di una struttura o nome di una persona."),
        col("obiettivo", &["Obiettivo"], false, "Codice dell'obiettivo assegnato (oppure compilare Indicatore)."),
        col("indicatore", &["Indicatore"], false, "Codice del singolo indicatore assegnato."),
        col("peso", &["Peso"], false, "Peso dell'obiettivo nella valutazione del soggetto; vuoto = pesi uguali."),
    ],
    note: "Obiettivi o indicatori assegnati a persone o strutture (performance individuale).",
    year_columns: &[],
};

/// `Bilancio`: the economic-financial dimension.
pub const BILANCIO: SheetSpec = SheetSpec {
    names: &["Bilancio"],
    columns: &[
        col("sezione", &["Sezione"], false, "Sezione del conto (ad es. A) Proventi correnti)."),
        col("voce", &["Voce"], true, "Voce di bilancio."),
        col("preventivo", &["Preventivo"], false, "Importo a preventivo."),
        col("aggiornamento", &["Aggiornamento"], false, "Importo dopo l'aggiornamento del preventivo."),
        col("consuntivo", &["Consuntivo"], false, "Importo a consuntivo."),
    ],
    note: "Dimensione economico-finanziaria: preventivo, aggiornamento, consuntivo.",
    year_columns: &[],
};

/// Every sheet of the contract, in the template's order.
pub const ALL: [&SheetSpec; 8] =
    [&ENTE, &AMBITI, &OBIETTIVI, &INDICATORI, &CONSUNTIVI, &STRUTTURE, &ASSEGNAZIONI, &BILANCIO];

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::read::{RawSheet, Table};
    use calamine::{Data, Range};

    /// A sheet with a title row, a blank row, then `headers` in reverse order.
    fn sheet(headers: &[&str]) -> RawSheet {
        let width = headers.len() as u32;
        let mut range = Range::new((0, 0), (3, width.max(1) - 1));
        range.set_value((0, 0), Data::String("Piano della performance".into()));
        for (i, h) in headers.iter().rev().enumerate() {
            range.set_value((2, i as u32), Data::String(format!("  {}: ", h.to_uppercase())));
        }
        RawSheet { name: "Foglio".into(), range, hidden: false, uncomputed: Default::default(), percent_cells: None }
    }

    /// Every accepted header of every column of the contract is recognised,
    /// below a title row, in any case, with a trailing colon, in any order.
    #[test]
    fn every_synonym_of_every_column_is_recognised() {
        for spec in ALL {
            let required: Vec<&str> = spec.columns.iter().filter(|c| c.required).map(|c| c.names[0]).collect();
            for column in spec.columns {
                for name in column.names {
                    let mut headers: Vec<&str> =
                        required.iter().copied().filter(|r| !column.names.contains(r)).collect();
                    headers.push(name);
                    let raw = sheet(&headers);
                    let table = Table::find(&raw, spec)
                        .unwrap_or_else(|d| panic!("{}: «{name}»: {}", spec.names[0], d.message));
                    assert_eq!(table.header_row, 2, "{}: «{name}»", spec.names[0]);
                    assert!(table.has(column.key), "{}: «{name}» is not read as {}", spec.names[0], column.key);
                }
            }
        }
    }
}
