//! The parts the documents' data share (header, areas, objectives,
//! indicators, units, people, rows) and the projection that fills them
//! from the report tree. Figures are formatted here and only here.

use super::Source;
use crate::fmt;
use crate::model::{Level, Plan, Weight, WeightScale};
use crate::report::{Figure, IndicatorNode, ObjectiveNode, Report, SubjectNode};
use crate::score::{AGGREGATE_DECIMALS, SAL_DECIMALS, Status};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

/// Parti comuni ai dati di tutti i documenti.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Testata {
    /// Titolo e data del documento.
    pub documento: Documento,
    /// L'ente e gli anni del piano.
    pub ente: EnteDati,
    /// Il sistema di misurazione (soglie, tetto, decimali, scale dei pesi).
    pub impostazioni: Impostazioni,
    /// Vero quando il piano ha consuntivi per l'anno di riferimento.
    pub consuntivi: bool,
    /// Gli stati possibili, nell'ordine della legenda.
    pub legenda: Vec<Stato>,
}

/// Titolo e data del documento.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Documento {
    /// Il titolo, ad es. «Relazione sulla Performance – Tabelle».
    pub titolo: String,
    /// La data del documento, gg/mm/aaaa.
    pub data: String,
}

/// L'ente (foglio Ente) e gli anni del piano.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EnteDati {
    /// Denominazione dell'ente.
    pub nome: String,
    /// Anno di riferimento.
    pub anno: i32,
    /// Il triennio, ad es. «2024-2026».
    pub triennio: String,
    /// Gli anni di cui si stampano i target: il triennio e ogni altro anno con target.
    pub anni: Vec<i32>,
    /// Presidente.
    pub presidente: Option<String>,
    /// Segretario generale.
    pub segretario: Option<String>,
    /// Delibera di approvazione.
    pub delibera: Option<String>,
    /// Il percorso del logo nel mondo typst (ad es. «/logo.png»), se c'è.
    pub logo: Option<String>,
    /// Gli anni delle baseline, senza ripetizioni.
    pub anni_baseline: Vec<i32>,
}

/// Il sistema di misurazione, già in formato italiano.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Impostazioni {
    /// Soglia di raggiungimento, ad es. «100%».
    pub soglia_raggiunto: String,
    /// Soglia di raggiungimento parziale.
    pub soglia_parziale: String,
    /// Tetto del SAL di un indicatore («nessuno» se assente).
    pub tetto: String,
    /// Soglia sotto la quale il SAL vale 0%.
    pub soglia_minima: String,
    /// Giorni di tolleranza sulle scadenze.
    pub tolleranza_giorni: i64,
    /// Decimali con cui si stampa (e si decide lo stato di) un indicatore.
    pub decimali_indicatori: u32,
    /// Decimali con cui si stampa (e si decide lo stato di) un aggregato.
    pub decimali_aggregati: u32,
    /// La scala di ciascuna colonna dei pesi compilata.
    pub scale_pesi: Vec<ScalaPesi>,
}

/// La scala di una colonna dei pesi.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScalaPesi {
    /// Il foglio (Ambiti, Obiettivi, Indicatori, Assegnazioni).
    pub foglio: String,
    /// La scala a parole.
    pub scala: String,
}

/// Uno stato, con le parole e il simbolo che lo rendono leggibile anche in bianco e nero.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Stato {
    /// La chiave stabile: raggiunto, parziale, non_raggiunto, non_valutabile, dato_mancante.
    pub chiave: Status,
    /// Le parole, ad es. «parzialmente raggiunto».
    pub testo: String,
    /// Il simbolo: ● ◐ ○ – ?
    pub simbolo: String,
}

/// Un risultato (SAL di un indicatore o punteggio di un aggregato).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Risultato {
    /// Come si stampa, ad es. «94,4%» oppure «n.v.».
    pub testo: String,
    /// Il valore in percentuale con due decimali, per i grafici (ad es. «94.40»); null se non valutato.
    pub valore: Option<String>,
    /// Lo stato, deciso sul valore stampato.
    pub stato: Stato,
}

/// Livello di un obiettivo.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Livello {
    /// Obiettivo strategico.
    Strategico,
    /// Obiettivo operativo.
    Operativo,
}

/// Un indicatore.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Indicatore {
    /// Codice.
    pub codice: String,
    /// Nome.
    pub nome: String,
    /// Formula di calcolo.
    pub formula: Option<String>,
    /// Tipologia (efficacia, efficienza, …).
    pub tipologia: Option<String>,
    /// Prospettiva BSC dichiarata dall'indicatore.
    pub prospettiva: Option<String>,
    /// Unità di misura.
    pub udm: Option<String>,
    /// Fonte del dato.
    pub fonte: Option<String>,
    /// L'operatore con cui si confronta il target dell'anno (≥, ≤, …).
    pub operatore: String,
    /// La baseline come scritta (vuota se assente).
    pub baseline: String,
    /// L'anno della baseline.
    pub anno_baseline: Option<i32>,
    /// Un target per ciascuno degli anni di `ente.anni`, come scritto (vuoto se assente).
    pub target: Vec<String>,
    /// Il target dell'anno di riferimento.
    pub target_anno: String,
    /// Il consuntivo come scritto (vuoto nei documenti senza risultati).
    pub consuntivo: String,
    /// La nota del consuntivo.
    pub nota: Option<String>,
    /// Il peso, nella scala della sua colonna.
    pub peso: Option<String>,
    /// Il SAL (null nei documenti senza risultati).
    pub sal: Option<Risultato>,
    /// Perché l'indicatore non è valutato.
    pub motivo: Option<String>,
    /// Chi risponde dell'indicatore (colonna Owner), come scritto.
    pub owner: Option<String>,
    /// Scadenze intermedie di monitoraggio, come scritte.
    pub scadenze: Option<String>,
}

/// Un obiettivo (strategico od operativo) con i suoi indicatori.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Obiettivo {
    /// Codice.
    pub codice: String,
    /// Livello: strategico od operativo.
    pub livello: Livello,
    /// Il livello a parole: «Obiettivo strategico» od «Obiettivo operativo».
    pub livello_testo: String,
    /// Titolo.
    pub titolo: String,
    /// Descrizione.
    pub descrizione: Option<String>,
    /// L'ambito strategico, «codice – nome».
    pub ambito: Option<String>,
    /// La prospettiva BSC (dell'ambito, altrimenti dell'obiettivo).
    pub prospettiva: Option<String>,
    /// L'obiettivo strategico di un operativo, «codice – titolo».
    pub padre: Option<String>,
    /// Programma di intervento.
    pub programma_intervento: Option<String>,
    /// Missione (D.M. 27/03/2013).
    pub missione: Option<String>,
    /// Programma (D.M. 27/03/2013).
    pub programma: Option<String>,
    /// La struttura responsabile.
    pub struttura: Option<String>,
    /// Il responsabile della struttura.
    pub responsabile: Option<String>,
    /// Ufficio.
    pub ufficio: Option<String>,
    /// Risorse economiche, come scritte.
    pub risorse: Option<String>,
    /// Il peso, nella scala della sua colonna.
    pub peso: Option<String>,
    /// Il totale dei pesi dei suoi indicatori, nella loro scala.
    pub totale_pesi: Option<String>,
    /// Il risultato (null nei documenti senza risultati).
    pub risultato: Option<Risultato>,
    /// I suoi indicatori.
    pub indicatori: Vec<Indicatore>,
    /// Vero per un obiettivo strategico senza indicatori propri, misurato
    /// attraverso i suoi obiettivi operativi (elencati in `cascata`).
    pub misurato_da_operativi: bool,
    /// Gli obiettivi operativi su cui è misurato (vuoto se ha indicatori propri).
    pub cascata: Vec<VoceCascata>,
    /// Il commento (solo nella Relazione).
    pub commento: String,
    /// I campi delle tabelle della strategia e dei servizi.
    #[serde(flatten)]
    pub servizio: CampiServizio,
    /// Gli obiettivi operativi che compaiono sotto di esso nell'Albero della
    /// performance (colonna Albero = sì).
    pub albero: Vec<VoceCascata>,
}

/// I campi che le tabelle della strategia e dei servizi stampano per un
/// obiettivo (vuoti quando il piano non ha le colonne).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CampiServizio {
    /// Chi risponde dell'obiettivo (colonna Owner), come scritto.
    pub owner: Option<String>,
    /// Benefici attesi.
    pub benefici: Option<String>,
    /// Azioni/Interventi.
    pub azioni: Option<String>,
    /// Strutture coinvolte (Servizi interni coinvolti), separate da « / ».
    pub coinvolte: Option<String>,
    /// L'Area a cui l'obiettivo fa capo nelle tabelle dei servizi.
    pub area_servizio: Option<String>,
    /// Albero: «sì», «no» oppure null se non indicato.
    pub in_albero: Option<String>,
    /// Produttività: «sì», «no» oppure null se non indicato.
    pub produttivita: Option<String>,
}

impl CampiServizio {
    /// The fields of an objective.
    pub fn of(o: &crate::model::Objective) -> CampiServizio {
        let flag = |f: Option<bool>| f.map(|b| if b { "sì" } else { "no" }.to_string());
        CampiServizio {
            owner: o.owner.clone(),
            benefici: o.benefits.clone(),
            azioni: o.actions.clone(),
            coinvolte: (!o.involved.is_empty())
                .then(|| o.involved.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join(" / ")),
            area_servizio: o.service_area.clone(),
            in_albero: flag(o.tree),
            produttivita: flag(o.productivity),
        }
    }
}

/// Una riga della tabella della strategia: un obiettivo con benefici attesi
/// o azioni/interventi, sotto il suo obiettivo strategico.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RigaStrategia {
    /// L'obiettivo strategico, «codice – titolo» (vuoto se ripete la riga sopra).
    pub strategico: String,
    /// Programma di intervento.
    pub programma: Option<String>,
    /// Benefici attesi.
    pub benefici: Option<String>,
    /// Risorse economiche, come scritte.
    pub risorse: Option<String>,
    /// Azioni/Interventi (il titolo dell'obiettivo quando la colonna è vuota).
    pub azioni: String,
    /// Strutture coinvolte, separate da « / ».
    pub coinvolte: Option<String>,
    /// I nomi dei suoi indicatori.
    pub indicatori: Vec<String>,
}

/// Un obiettivo operativo attraverso cui è misurato uno strategico.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VoceCascata {
    /// Codice.
    pub codice: String,
    /// Titolo.
    pub titolo: String,
    /// Il peso, nella scala della sua colonna.
    pub peso: Option<String>,
    /// Il risultato (null nei documenti senza risultati).
    pub risultato: Option<Risultato>,
}

/// Un ambito strategico.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Ambito {
    /// Codice.
    pub codice: String,
    /// Nome.
    pub nome: String,
    /// Prospettiva BSC.
    pub prospettiva: Option<String>,
    /// Il risultato (null nei documenti senza risultati).
    pub risultato: Option<Risultato>,
    /// Il commento (solo nella Relazione).
    pub commento: String,
    /// I suoi obiettivi strategici.
    pub obiettivi: Vec<Obiettivo>,
}

/// Una struttura (unità organizzativa) e le righe di cui risponde.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Struttura {
    /// Codice.
    pub codice: String,
    /// Nome.
    pub nome: String,
    /// Tipo (Area, Servizio, …).
    pub tipo: Option<String>,
    /// Responsabile.
    pub responsabile: Option<String>,
    /// Il risultato (null nei documenti senza risultati).
    pub risultato: Option<Risultato>,
    /// La produttività: il risultato sui soli obiettivi con Produttività =
    /// sì (null senza risultati o se la struttura non ne ha).
    pub produttivita: Option<Risultato>,
    /// Le righe, per ambito e obiettivo strategico.
    pub gruppi: Vec<GruppoAmbito>,
}

/// Un responsabile valutato e le righe di cui risponde.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Persona {
    /// Nome.
    pub nome: String,
    /// La struttura che dirige, se c'è.
    pub struttura: Option<String>,
    /// Il risultato (null nei documenti senza risultati).
    pub risultato: Option<Risultato>,
    /// La produttività (null senza risultati o se non ne ha).
    pub produttivita: Option<Risultato>,
    /// Le righe (vuoto se il piano non ha Assegnazioni: si stampa una sintesi).
    pub gruppi: Vec<GruppoAmbito>,
}

/// Le righe di un ambito.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GruppoAmbito {
    /// Codice dell'ambito.
    pub codice: String,
    /// Nome dell'ambito.
    pub nome: String,
    /// Gli obiettivi strategici con righe.
    pub obiettivi: Vec<GruppoObiettivo>,
}

/// Le righe sotto un obiettivo strategico.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GruppoObiettivo {
    /// Codice dell'obiettivo strategico.
    pub codice: String,
    /// Titolo dell'obiettivo strategico.
    pub titolo: String,
    /// Una riga per indicatore.
    pub righe: Vec<Riga>,
}

/// Una riga di indicatore nelle tabelle per struttura o per responsabile.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Riga {
    /// L'indicatore.
    #[serde(flatten)]
    pub indicatore: Indicatore,
    /// Il peso della riga di Assegnazioni (sulla prima riga dell'obiettivo).
    pub peso_assegnato: Option<String>,
    /// Il programma di intervento (vuoto se ripete la riga sopra).
    pub programma_riga: String,
    /// L'obiettivo operativo (vuoto se ripete la riga sopra o se è lo strategico del titolo).
    pub obiettivo_riga: String,
    /// I campi dei servizi dell'obiettivo della riga (Owner, Area, Albero, Produttività, …).
    #[serde(flatten)]
    pub servizio: CampiServizio,
}

/// Sintesi dei risultati dell'ente.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Sintesi {
    /// L'indice sintetico di performance dell'ente.
    pub risultato: Option<Risultato>,
    /// Quanti indicatori per ciascuno stato.
    pub conteggi: Vec<Conteggio>,
}

/// Il numero di indicatori in uno stato.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Conteggio {
    /// Lo stato.
    pub stato: Stato,
    /// Quanti indicatori.
    pub numero: usize,
}

/// Una voce del foglio Bilancio, importi in formato italiano.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VoceBilancio {
    /// Sezione.
    pub sezione: Option<String>,
    /// Voce.
    pub voce: String,
    /// Preventivo.
    pub preventivo: String,
    /// Aggiornamento.
    pub aggiornamento: String,
    /// Consuntivo.
    pub consuntivo: String,
    /// Consuntivo − aggiornamento (o preventivo).
    pub differenza: String,
}

/// Un indicatore non valutato.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NonValutato {
    /// Codice.
    pub codice: String,
    /// Nome.
    pub nome: String,
    /// Lo stato.
    pub stato: Stato,
    /// Il motivo.
    pub motivo: Option<String>,
}

impl Stato {
    /// The words and symbol of a status.
    pub fn of(s: Status) -> Stato {
        Stato { chiave: s, testo: s.label().to_string(), simbolo: s.symbol().to_string() }
    }
}

impl Testata {
    /// The header of a document.
    pub(super) fn new(src: &Source) -> Testata {
        let plan = src.report.plan;
        let s = &plan.ente.settings;
        let mut baseline_years: Vec<i32> = plan.indicators.iter().filter_map(|i| i.baseline_year).collect();
        baseline_years.sort();
        baseline_years.dedup();
        Testata {
            documento: Documento { titolo: src.title.to_string(), data: src.date.clone() },
            ente: EnteDati {
                nome: plan.ente.name.clone(),
                anno: plan.ente.year,
                triennio: format!("{}-{}", plan.ente.triennium.0, plan.ente.triennium.1),
                anni: plan.years(),
                presidente: plan.ente.president.clone(),
                segretario: plan.ente.secretary.clone(),
                delibera: plan.ente.act.clone(),
                logo: src.logo.map(|l| format!("/{l}")),
                anni_baseline: baseline_years,
            },
            impostazioni: Impostazioni {
                soglia_raggiunto: fmt::percent_plain(s.achieved),
                soglia_parziale: fmt::percent_plain(s.partial),
                tetto: s.cap.map_or("nessuno".to_string(), fmt::percent_plain),
                soglia_minima: fmt::percent_plain(s.floor),
                tolleranza_giorni: s.late_days,
                decimali_indicatori: SAL_DECIMALS,
                decimali_aggregati: AGGREGATE_DECIMALS,
                scale_pesi: weight_scales(plan),
            },
            consuntivi: plan.has_actuals(),
            legenda: Status::ALL.iter().map(|s| Stato::of(*s)).collect(),
        }
    }
}

fn weight(w: Option<&Weight>) -> Option<String> {
    w.map(|w| fmt::weight(w.value, w.scale))
}

/// Fills the parts from the report; `results` says whether the document
/// prints results (the PIAO annexes do not: their data then stays the same
/// when only actual values change, and a watch rebuild reuses them).
pub(super) struct Projection<'a, 'p> {
    pub(super) report: &'a Report<'p>,
    pub(super) results: bool,
    pub(super) comments: Option<&'a crate::render::comments::Written>,
}

impl Projection<'_, '_> {
    fn figure(&self, f: Figure, decimals: u32) -> Option<Risultato> {
        self.results.then(|| Risultato {
            testo: f.score.map_or("n.v.".to_string(), |s| fmt::percent(s, decimals)),
            valore: f.score.map(|s| (s * Decimal::ONE_HUNDRED).round_dp(2).to_string()),
            stato: Stato::of(f.status),
        })
    }

    fn indicator(&self, n: &IndicatorNode) -> Indicatore {
        let i = n.indicator;
        let year = self.report.plan.ente.year;
        let text = |e: Option<&crate::model::Expr>| e.map_or(String::new(), |e| e.text.clone());
        Indicatore {
            codice: i.code.clone(),
            nome: i.name.clone(),
            formula: i.formula.clone(),
            tipologia: i.kind.clone(),
            prospettiva: i.perspective.clone(),
            udm: i.udm.clone(),
            fonte: i.source.clone(),
            operatore: i.op_for(year).symbol().to_string(),
            baseline: text(i.baseline.as_ref()),
            anno_baseline: i.baseline_year,
            target: self.report.years().iter().map(|y| text(i.targets.get(y))).collect(),
            target_anno: text(i.targets.get(&year)),
            consuntivo: if self.results { text(n.actual.map(|a| &a.value)) } else { String::new() },
            nota: n.actual.filter(|_| self.results).and_then(|a| a.note.clone()),
            peso: weight(i.weight.as_ref()),
            sal: self.figure(n.figure(), SAL_DECIMALS),
            motivo: n.result.filter(|_| self.results).and_then(|r| r.reason.clone()),
            owner: i.owner.clone(),
            scadenze: i.milestones.clone(),
        }
    }

    pub(super) fn objective(&self, node: &ObjectiveNode) -> Obiettivo {
        let r = self.report;
        let o = node.objective;
        let area = node.area;
        let parent = node.parent.map(|p| r.objectives[p].objective);
        // The total is printed in the scale of its rows (one column, one scale).
        let weights: Vec<&Weight> =
            node.indicators.iter().filter_map(|n| r.indicators[*n].indicator.weight.as_ref()).collect();
        let weight_total = weights.first().map(|w| fmt::weight(weights.iter().map(|w| w.value).sum(), w.scale));
        let strategic = o.level == Level::Strategico;
        Obiettivo {
            codice: o.code.clone(),
            livello: if strategic { Livello::Strategico } else { Livello::Operativo },
            livello_testo: if strategic { "Obiettivo strategico" } else { "Obiettivo operativo" }.to_string(),
            titolo: o.title.clone(),
            descrizione: o.description.clone(),
            ambito: area.map(|a| format!("{} – {}", a.code, a.name)),
            prospettiva: area.and_then(|a| a.perspective.clone()).or_else(|| o.extra.get("Prospettiva").cloned()),
            padre: parent.map(|p| format!("{} – {}", p.code, p.title)),
            programma_intervento: o.programme.clone(),
            missione: o.mission.clone(),
            programma: o.program.clone(),
            struttura: node.unit.map(|u| u.name.clone()).or_else(|| o.unit.clone()),
            responsabile: node.unit.and_then(|u| u.head.clone()),
            ufficio: o.office.clone(),
            risorse: o.resources.clone(),
            peso: weight(o.weight.as_ref()),
            totale_pesi: weight_total,
            risultato: self.figure(node.figure, AGGREGATE_DECIMALS),
            indicatori: node.indicators.iter().map(|n| self.indicator(&r.indicators[*n])).collect(),
            misurato_da_operativi: node.scored_through_children,
            cascata: node
                .cascade
                .iter()
                .map(|c| {
                    let child = &r.objectives[*c];
                    VoceCascata {
                        codice: child.objective.code.clone(),
                        titolo: child.objective.title.clone(),
                        peso: weight(child.objective.weight.as_ref()),
                        risultato: self.figure(child.figure, AGGREGATE_DECIMALS),
                    }
                })
                .collect(),
            commento: self.comments.and_then(|c| c.objectives.get(&o.code).cloned()).unwrap_or_default(),
            servizio: CampiServizio::of(o),
            albero: if strategic {
                node.children
                    .iter()
                    .map(|c| &r.objectives[*c])
                    .filter(|c| r.plan.in_tree(c.objective))
                    .map(|child| VoceCascata {
                        codice: child.objective.code.clone(),
                        titolo: child.objective.title.clone(),
                        peso: weight(child.objective.weight.as_ref()),
                        risultato: self.figure(child.figure, AGGREGATE_DECIMALS),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    pub(super) fn areas(&self) -> Vec<Ambito> {
        self.report
            .areas
            .iter()
            .map(|a| Ambito {
                codice: a.area.code.clone(),
                nome: a.area.name.clone(),
                prospettiva: a.area.perspective.clone(),
                risultato: self.figure(a.figure, AGGREGATE_DECIMALS),
                commento: self.comments.and_then(|c| c.areas.get(&a.area.code).cloned()).unwrap_or_default(),
                obiettivi: a.objectives.iter().map(|o| self.objective(&self.report.objectives[*o])).collect(),
            })
            .collect()
    }

    fn groups(&self, subject: &SubjectNode) -> Vec<GruppoAmbito> {
        let r = self.report;
        subject
            .groups
            .iter()
            .map(|g| GruppoAmbito {
                codice: r.areas[g.area].area.code.clone(),
                nome: r.areas[g.area].area.name.clone(),
                obiettivi: g
                    .strategic
                    .iter()
                    .map(|s| GruppoObiettivo {
                        codice: r.objectives[s.objective].objective.code.clone(),
                        titolo: r.objectives[s.objective].objective.title.clone(),
                        righe: s
                            .rows
                            .iter()
                            .map(|row| Riga {
                                indicatore: self.indicator(&r.indicators[row.indicator]),
                                peso_assegnato: weight(row.weight.as_ref()),
                                programma_riga: row.programme_cell.to_string(),
                                obiettivo_riga: row.objective_cell.to_string(),
                                servizio: CampiServizio::of(r.objectives[row.objective].objective),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }

    pub(super) fn units(&self) -> Vec<Struttura> {
        self.report
            .units
            .iter()
            // A unit whose items are outside every area has no table.
            .filter(|s| !s.groups.is_empty())
            .filter_map(|s| {
                let u = s.unit?;
                Some(Struttura {
                    codice: u.code.clone(),
                    nome: u.name.clone(),
                    tipo: u.kind.clone(),
                    responsabile: u.head.clone(),
                    risultato: self.figure(s.figure, AGGREGATE_DECIMALS),
                    produttivita: self.productivity(self.report.results.productivity_of(&u.code)),
                    gruppi: self.groups(s),
                })
            })
            .collect()
    }

    pub(super) fn people(&self) -> Vec<Persona> {
        self.report
            .people
            .iter()
            .map(|p| Persona {
                nome: p.name.to_string(),
                struttura: p.unit.map(|u| u.name.clone()),
                risultato: self.figure(p.figure, AGGREGATE_DECIMALS),
                produttivita: self.productivity(
                    self.report.results.people.iter().find(|x| x.name == p.name).and_then(|x| x.productivity.as_ref()),
                ),
                gruppi: self.groups(p),
            })
            .collect()
    }

    fn productivity(&self, agg: Option<&crate::score::Aggregate>) -> Option<Risultato> {
        agg.and_then(|a| self.figure(Figure::of(Some(a)), AGGREGATE_DECIMALS))
    }

    /// The strategy table: every objective with Benefici attesi or
    /// Azioni/Interventi, grouped under its strategic objective in plan
    /// order (a strategic objective's own row first); empty when the plan has
    /// neither column.
    pub(super) fn strategy(&self) -> Vec<RigaStrategia> {
        let r = self.report;
        let has = |o: &crate::model::Objective| o.benefits.is_some() || o.actions.is_some();
        let mut out = Vec::new();
        for s in r.strategic() {
            let children = s.children.iter().map(|c| &r.objectives[*c]);
            let rows: Vec<&ObjectiveNode> = std::iter::once(s).chain(children).filter(|n| has(n.objective)).collect();
            for (k, n) in rows.iter().enumerate() {
                let o = n.objective;
                let fields = CampiServizio::of(o);
                out.push(RigaStrategia {
                    strategico: if k == 0 {
                        format!("{} – {}", s.objective.code, s.objective.title)
                    } else {
                        String::new()
                    },
                    programma: o.programme.clone(),
                    benefici: o.benefits.clone(),
                    risorse: o.resources.clone(),
                    azioni: o.actions.clone().unwrap_or_else(|| o.title.clone()),
                    coinvolte: fields.coinvolte,
                    indicatori: n.indicators.iter().map(|i| r.indicators[*i].indicator.name.clone()).collect(),
                });
            }
        }
        out
    }

    pub(super) fn summary(&self) -> Sintesi {
        Sintesi {
            risultato: self.figure(self.report.entity, AGGREGATE_DECIMALS),
            conteggi: self.report.counts.iter().map(|(s, n)| Conteggio { stato: Stato::of(*s), numero: *n }).collect(),
        }
    }

    pub(super) fn budget(&self) -> Vec<VoceBilancio> {
        let money = |v: Option<Decimal>| v.map_or(String::new(), |v| fmt::number(v, 2));
        self.report
            .plan
            .budget
            .iter()
            .map(|b| VoceBilancio {
                sezione: b.section.clone(),
                voce: b.item.clone(),
                preventivo: money(b.preventivo),
                aggiornamento: money(b.aggiornamento),
                consuntivo: money(b.consuntivo),
                differenza: match (b.consuntivo, b.aggiornamento.or(b.preventivo)) {
                    (Some(c), Some(p)) => fmt::number(c - p, 2),
                    _ => String::new(),
                },
            })
            .collect()
    }

    pub(super) fn not_scored(&self) -> Vec<NonValutato> {
        self.report
            .not_scored
            .iter()
            .map(|n| {
                let node = &self.report.indicators[*n];
                NonValutato {
                    codice: node.indicator.code.clone(),
                    nome: node.indicator.name.clone(),
                    stato: Stato::of(node.figure().status),
                    motivo: node.result.and_then(|r| r.reason.clone()),
                }
            })
            .collect()
    }
}

/// The scale of each weight column that holds weights, in words, for the
/// method note: a reader sees in which unit every weight and total is shown.
fn weight_scales(plan: &Plan) -> Vec<ScalaPesi> {
    let first = |mut it: Box<dyn Iterator<Item = Option<&Weight>> + '_>| it.find_map(|w| w.map(|w| w.scale));
    let columns = [
        ("Ambiti", first(Box::new(plan.areas.iter().map(|a| a.weight.as_ref())))),
        ("Obiettivi", first(Box::new(plan.objectives.iter().map(|o| o.weight.as_ref())))),
        ("Indicatori", first(Box::new(plan.indicators.iter().map(|i| i.weight.as_ref())))),
        ("Assegnazioni", first(Box::new(plan.assignments.iter().map(|a| a.weight.as_ref())))),
    ];
    columns
        .into_iter()
        .filter_map(|(sheet, scale)| {
            let words = match scale? {
                WeightScale::Points => "punti percentuali, stampati come scritti (totale atteso 100)",
                WeightScale::Fraction => "quote di 1, stampate in percentuale (totale atteso 100%)",
            };
            Some(ScalaPesi { foglio: sheet.to_string(), scala: words.to_string() })
        })
        .collect()
}
