//! The data each typst layout receives as `/data.json`: one struct per
//! document ([`AllegatoDati`], [`SchedeDati`], [`RelazioneDati`]), projected
//! from the [`Report`] tree, every figure already in Italian format (rounded
//! only here, at display). Layouts never see cell text as markup: they read
//! strings from this JSON.
//!
//! These structs are the published contract for layout authors
//! (docs/modelli.md, docs/schema/): their field names and their doc
//! comments are in Italian because they are what an office's layout author
//! reads, in the generated JSON Schema.

mod parts;

pub use parts::*;

use crate::model::Plan;
use crate::report::Report;
use schemars::JsonSchema;
use serde::Serialize;

/// Dati del modello `allegato.typ`: Cruscotto di Ente e obiettivi per
/// struttura e per responsabile (senza risultati).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AllegatoDati {
    /// Parti comuni a tutti i documenti.
    #[serde(flatten)]
    pub testata: Testata,
    /// Ambiti strategici con i loro obiettivi strategici e indicatori.
    pub ambiti: Vec<Ambito>,
    /// Strutture che rispondono di qualcosa, con le righe di cui rispondono.
    pub strutture: Vec<Struttura>,
    /// Responsabili valutati, con le righe di cui rispondono.
    pub persone: Vec<Persona>,
    /// Vero quando il piano ha il foglio Assegnazioni compilato.
    pub assegnazioni: bool,
    /// La tabella della strategia (vuota se il piano non ha Benefici attesi né Azioni/Interventi).
    pub strategia: Vec<RigaStrategia>,
    /// Gli obiettivi strategici per Missione, quando il foglio Ente dice «Cruscotto per» = Missione (altrimenti vuoto: il cruscotto è per ambito).
    pub missioni: Vec<Missione>,
}

/// Una Missione (D.M. 27/03/2013) con i suoi obiettivi strategici.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Missione {
    /// Il nome della Missione come scritto (vuoto per gli obiettivi senza Missione).
    pub nome: String,
    /// I suoi obiettivi strategici, con gli indicatori.
    pub obiettivi: Vec<Obiettivo>,
}

/// Dati del modello `schede.typ`: una scheda per obiettivo, prima gli
/// strategici poi gli operativi (senza risultati).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SchedeDati {
    /// Parti comuni a tutti i documenti.
    #[serde(flatten)]
    pub testata: Testata,
    /// Le schede, nell'ordine di stampa.
    pub schede: Vec<Obiettivo>,
}

/// Dati del modello `relazione.typ`: le tabelle della Relazione sulla
/// Performance (con i risultati).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RelazioneDati {
    /// Parti comuni a tutti i documenti.
    #[serde(flatten)]
    pub testata: Testata,
    /// Indice sintetico dell'ente e conteggio degli indicatori per stato.
    pub sintesi: Sintesi,
    /// Ambiti con risultati, commenti, obiettivi strategici e indicatori.
    pub ambiti: Vec<Ambito>,
    /// Strutture con risultato e righe.
    pub strutture: Vec<Struttura>,
    /// Responsabili con risultato (e righe quando il piano ha Assegnazioni).
    pub persone: Vec<Persona>,
    /// Vero quando il piano ha il foglio Assegnazioni compilato.
    pub assegnazioni: bool,
    /// Le voci del foglio Bilancio.
    pub bilancio: Vec<VoceBilancio>,
    /// Gli indicatori senza grado di raggiungimento, con il motivo.
    pub non_valutati: Vec<NonValutato>,
}

/// What every document's data is built from.
pub struct Source<'a, 'p> {
    /// The report tree.
    pub report: &'a Report<'p>,
    /// The document's title.
    pub title: &'a str,
    /// The document's date (dd/mm/yyyy).
    pub date: String,
    /// The logo's name inside the typst world, if any.
    pub logo: Option<&'a str>,
    /// The comments of areas and strategic objectives (Relazione only).
    pub comments: Option<&'a crate::render::comments::Written>,
}

impl AllegatoDati {
    /// Projects the report for the Allegato.
    pub fn new(src: &Source) -> AllegatoDati {
        let p = Projection { report: src.report, results: false, comments: None };
        AllegatoDati {
            testata: Testata::new(src),
            ambiti: p.areas(),
            strutture: p.units(),
            persone: p.people(),
            assegnazioni: has_assignments(src.report.plan),
            strategia: p.strategy(),
            missioni: if src.report.plan.ente.by_mission { missions(&p) } else { Vec::new() },
        }
    }
}

/// The strategic objectives by Missione ([`Plan::by_mission`]), projected.
fn missions(p: &Projection) -> Vec<Missione> {
    let r = p.report;
    r.plan
        .by_mission()
        .into_iter()
        .map(|(m, os)| Missione {
            nome: m.unwrap_or_default().to_string(),
            obiettivi: os
                .iter()
                .filter_map(|o| r.plan.objective_position(&o.code))
                .map(|n| p.objective(&r.objectives[n]))
                .collect(),
        })
        .collect()
}

impl SchedeDati {
    /// Projects the report for the Schede.
    pub fn new(src: &Source) -> SchedeDati {
        let p = Projection { report: src.report, results: false, comments: None };
        SchedeDati { testata: Testata::new(src), schede: src.report.cards().map(|o| p.objective(o)).collect() }
    }
}

impl RelazioneDati {
    /// Projects the report for the Relazione.
    pub fn new(src: &Source) -> RelazioneDati {
        let p = Projection { report: src.report, results: true, comments: src.comments };
        RelazioneDati {
            testata: Testata::new(src),
            sintesi: p.summary(),
            ambiti: p.areas(),
            strutture: p.units(),
            persone: p.people(),
            assegnazioni: has_assignments(src.report.plan),
            bilancio: p.budget(),
            non_valutati: p.not_scored(),
        }
    }
}

fn has_assignments(plan: &Plan) -> bool {
    !plan.assignments.is_empty()
}

/// The JSON Schema of each layout's data, by layout file (the
/// committed copies live in docs/schema/).
pub fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("allegato", schemars::schema_for!(AllegatoDati)),
        ("schede", schemars::schema_for!(SchedeDati)),
        ("relazione", schemars::schema_for!(RelazioneDati)),
    ]
}
