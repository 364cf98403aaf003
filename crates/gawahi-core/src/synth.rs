//! Realistic synthetic records, in English and Urdu, for benchmarks and load tests.
//!
//! Deterministic for a given seed, so benchmark runs compare like with like. The text is made
//! from phrases of the kind defenders write, not lorem ipsum, so that sizes, scripts and
//! compression behave as they will with real data. No real person or case is described.

use serde_json::{Map, Value, json};

use crate::search::{Facet, Filters};
use crate::vocab::shipped_files;

/// The seven statistics of the dashboard that benchmarks and profiles time: incidents by
/// province, type, perpetrator and month; cases by section, court and status.
pub const DASHBOARD_STATS: [Facet; 7] = [
    Facet::Province,
    Facet::IncidentType,
    Facet::PerpetratorType,
    Facet::Month,
    Facet::Section,
    Facet::Court,
    Facet::Status,
];

/// The filters of the `i`th faceted list page that benchmarks and profiles time: each province in
/// turn, every third page within a date range (2018 to 2022).
pub fn faceted_filters(i: usize) -> Filters {
    const PROVINCES: [&str; 5] = ["punjab", "sindh", "khyber_pakhtunkhwa", "balochistan", "islamabad"];
    let mut filters = Filters::default().with(Facet::Province, &[PROVINCES[i % PROVINCES.len()]]);
    if i.is_multiple_of(3) {
        filters.date_from = Some("2018".into());
        filters.date_to = Some("2022".into());
    }
    filters
}

/// The searches benchmarks and profiles run over synthetic vaults. What people type: whole words
/// and beginnings of words, English and Urdu, common and rare, with and without aerab, and
/// vocabulary labels.
pub const QUERIES: &[&str] = &[
    "raid",
    "journalist threat",
    "checkpoint",
    "Karachi",
    "پولیس",
    "چھاپہ",
    "گمشدگی",
    "مُقدّمہ",
    "PECA",
    "Balochistan High Court",
    "bail gran",
    "لاہور",
    "smear camp",
    "adjourned",
    "سماعت ملتوی",
    "Quetta",
    "whatsapp",
    "وکیل",
    "dignity",
    "drug traff",
];

/// A deterministic generator of record bodies.
#[derive(Debug)]
pub struct Synth {
    state: u64,
    districts: Vec<(String, String)>,
    incident_types: Vec<String>,
    perpetrator_types: Vec<String>,
    /// Charges as `(statute, section)`.
    charges: Vec<(String, String)>,
    courts: Vec<String>,
    countries: Vec<String>,
    /// Case statuses allowed for a criminalisation case, and for a detained-abroad one.
    statuses: Vec<String>,
    statuses_abroad: Vec<String>,
}

const EN_TITLES: &[&str] = &[
    "Journalist threatened after report on",
    "Activist detained at checkpoint near",
    "FIR registered under PECA against blogger in",
    "Family reports disappearance of student from",
    "Raid on office of rights group in",
    "Lawyer harassed outside court in",
    "Smear campaign against woman defender from",
];
const UR_TITLES: &[&str] = &[
    "صحافی کو دھمکیاں، رپورٹ کے بعد",
    "کارکن کو ناکے پر حراست میں لیا گیا",
    "بلاگر کے خلاف پیکا کے تحت مقدمہ درج",
    "طالب علم کی جبری گمشدگی، اہل خانہ کی شکایت",
    "انسانی حقوق کی تنظیم کے دفتر پر چھاپہ",
    "وکیل کو عدالت کے باہر ہراساں کیا گیا",
    "خاتون کارکن کے خلاف سوشل میڈیا مہم",
];
const EN_SENTENCES: &[&str] = &[
    "Two men in plain clothes arrived in a double-cabin vehicle without number plates.",
    "The family was told not to approach the media or file a petition.",
    "Messages on WhatsApp warned him to stop writing about the missing persons.",
    "Police refused to register the complaint for three days.",
    "Her phone and laptop were taken and no seizure memo was given.",
    "Witnesses say the crowd gathered after an announcement from the mosque loudspeaker.",
    "The hearing was adjourned because the investigation officer did not appear.",
];
const UR_SENTENCES: &[&str] = &[
    "سادہ کپڑوں میں ملبوس دو افراد بغیر نمبر پلیٹ کی گاڑی میں آئے۔",
    "اہل خانہ کو کہا گیا کہ میڈیا سے رابطہ نہ کریں اور درخواست دائر نہ کریں۔",
    "واٹس ایپ پر پیغامات میں لاپتہ افراد کے بارے میں لکھنا بند کرنے کی دھمکی دی گئی۔",
    "پولیس نے تین دن تک شکایت درج کرنے سے انکار کیا۔",
    "ان کا فون اور لیپ ٹاپ ضبط کر لیا گیا اور کوئی رسید نہیں دی گئی۔",
    "گواہوں کے مطابق مسجد کے لاؤڈ اسپیکر سے اعلان کے بعد ہجوم اکٹھا ہوا۔",
    "تفتیشی افسر کے پیش نہ ہونے پر سماعت ملتوی کر دی گئی۔",
];

impl Synth {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        let files = shipped_files().unwrap_or_default();
        let codes = |name: &str, leaf_only: bool| -> Vec<(String, Option<String>)> {
            files
                .iter()
                .filter(|f| f.name == name)
                .flat_map(|f| f.entries.iter())
                .filter(|e| !leaf_only || e.parent.is_some())
                .map(|e| (e.code.clone(), e.parent.clone()))
                .collect()
        };
        let statuses = |kind: &str| -> Vec<String> {
            files
                .iter()
                .filter(|f| f.name == "case_statuses")
                .flat_map(|f| f.entries.iter())
                .filter(|e| {
                    e.extra
                        .get("kinds")
                        .and_then(Value::as_str)
                        .is_some_and(|k| k == "all" || k.split(',').any(|k| k == kind))
                })
                .map(|e| e.code.clone())
                .collect()
        };
        let charges = files
            .iter()
            .filter(|f| f.name == "sections")
            .flat_map(|f| f.entries.iter())
            .filter_map(|e| {
                let statute = e.parent.clone()?;
                let section = e.code.strip_prefix(&format!("{statute}."))?.to_owned();
                Some((statute, section))
            })
            .collect();
        Self {
            charges,
            courts: codes("courts", false).into_iter().map(|(c, _)| c).collect(),
            countries: codes("countries", false).into_iter().map(|(c, _)| c).collect(),
            statuses: statuses("criminalisation"),
            statuses_abroad: statuses("detained_abroad"),
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            districts: codes("districts", true).into_iter().map(|(c, p)| (p.unwrap_or_default(), c)).collect(),
            incident_types: codes("incident_types", false).into_iter().map(|(c, _)| c).collect(),
            perpetrator_types: codes("perpetrator_types", true).into_iter().map(|(c, _)| c).collect(),
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*: test data only, never keys.
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An incident body: title and narrative in English or Urdu (about half each), a date of
    /// varying precision, a province and district, one or two types.
    pub fn incident(&mut self) -> Map<String, Value> {
        let urdu = self.next().is_multiple_of(2);
        let (titles, sentences) = if urdu { (UR_TITLES, UR_SENTENCES) } else { (EN_TITLES, EN_SENTENCES) };
        let (province, district) = self.pick(&self.districts.clone()).clone();
        let title = format!("{} {}", self.pick(titles), district.rsplit('.').next().unwrap_or_default());
        let n = 2 + self.below(4);
        let description = (0..n).map(|_| *self.pick(sentences)).collect::<Vec<_>>().join(" ");
        let year = 2015 + self.below(11);
        let month = 1 + self.below(12);
        let day = 1 + self.below(28);
        let occurred_on = match self.below(10) {
            0 => format!("{year}"),
            1 | 2 => format!("{year}-{month:02}"),
            _ => format!("{year}-{month:02}-{day:02}"),
        };
        let t1 = self.pick(&self.incident_types.clone()).clone();
        let p1 = self.pick(&self.perpetrator_types.clone()).clone();
        let verification = ["unverified", "partially_verified", "verified"][self.below(3)];
        let v = json!({
            "title": title,
            "description": description,
            "occurred_on": occurred_on,
            "province": province,
            "district": district,
            "incident_types": [t1],
            "perpetrator_types": [p1],
            "verification_status": verification,
        });
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn day(&mut self) -> String {
        format!("{}-{:02}-{:02}", 2015 + self.below(11), 1 + self.below(12), 1 + self.below(28))
    }

    /// A case body: a criminalisation case (four in five) with one or two charges from the
    /// shipped sections, a court, a status and an FIR; or a detained-abroad case with its
    /// country, legal status and offence. Titles and notes in English or Urdu.
    pub fn case(&mut self) -> Map<String, Value> {
        let urdu = self.next().is_multiple_of(2);
        let (titles, sentences) = if urdu { (UR_TITLES, UR_SENTENCES) } else { (EN_TITLES, EN_SENTENCES) };
        let title = format!("{} {}", if urdu { "ریاست بنام" } else { "State v." }, self.pick(titles));
        let notes = (0..2).map(|_| *self.pick(sentences)).collect::<Vec<_>>().join(" ");
        let court = self.pick(&self.courts.clone()).clone();
        let v = if self.below(5) == 0 {
            let legal_status = ["under_investigation", "on_trial", "convicted", "death_row", "appeal"][self.below(5)];
            let status = self.pick(&self.statuses_abroad.clone()).clone();
            let country = self.pick(&self.countries.clone()).clone();
            let offences =
                ["drug trafficking", "visa overstay", "blasphemy accusation", "منشیات", "ویزا کی مدت سے زیادہ قیام"];
            let offence = *self.pick(&offences);
            json!({
                "title": title,
                "case_kind": "detained_abroad",
                "status": status,
                "notes": notes,
                "detention_abroad": {
                    "country": country,
                    "legal_status": legal_status,
                    "charge": offence,
                },
            })
        } else {
            let charges: Vec<Value> = (0..=self.below(2))
                .map(|_| {
                    let (statute, section) = self.pick(&self.charges.clone()).clone();
                    json!({"statute": statute, "section": section})
                })
                .collect();
            let status = self.pick(&self.statuses.clone()).clone();
            let fir_number = format!("FIR {}/{}", self.below(900) + 1, 2015 + self.below(11));
            let fir_date = self.day();
            json!({
                "title": title,
                "case_kind": "criminalisation",
                "status": status,
                "fir_number": fir_number,
                "fir_date": fir_date,
                "court": court,
                "charges": charges,
                "notes": notes,
            })
        };
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// Adds `n` cases to `vault` and five hearings to each, in batches of 20,000 records: what the
    /// benchmarks and profiles put beside their incidents, for search, facets and statistics over
    /// more than one kind.
    ///
    /// # Errors
    /// As [`crate::Vault::add_batch`].
    pub fn add_cases_with_hearings(&mut self, vault: &mut crate::Vault, n: usize) -> crate::Result<()> {
        let mut cases = Vec::with_capacity(n);
        while cases.len() < n {
            let batch: Vec<_> = (0..20_000.min(n - cases.len())).map(|_| (crate::Kind::Case, self.case())).collect();
            cases.extend(vault.add_batch(batch)?);
        }
        for chunk in cases.chunks(4_000) {
            let batch: Vec<_> = chunk
                .iter()
                .flat_map(|c| (0..5).map(|_| (crate::Kind::Hearing, self.hearing(c))).collect::<Vec<_>>())
                .collect();
            vault.add_batch(batch)?;
        }
        Ok(())
    }

    /// A hearing of the case `case_id`: a date, a purpose and an outcome in English or Urdu.
    pub fn hearing(&mut self, case_id: &str) -> Map<String, Value> {
        let en = [("Bail arguments", "Adjourned, the IO did not appear"), ("Framing of charge", "Charge framed")];
        let ur = [("ضمانت پر بحث", "سماعت ملتوی، تفتیشی افسر پیش نہ ہوا"), ("فرد جرم", "فرد جرم عائد")];
        let (purpose, outcome) = if self.next().is_multiple_of(2) { *self.pick(&en) } else { *self.pick(&ur) };
        match json!({"case_id": case_id, "date": self.day(), "purpose": purpose, "outcome": outcome}) {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// A person body with a pseudonym, in English or Urdu.
    pub fn person(&mut self) -> Map<String, Value> {
        let names = ["Rahila", "Saad", "Gul Bano", "Imran", "رحیلہ", "سعد", "گل بانو", "عمران"];
        let pseudonym = format!("{} {}", self.pick(&names), self.below(10_000));
        match json!({"pseudonym": pseudonym, "roles": ["defender"], "consent_to_store": true}) {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}
