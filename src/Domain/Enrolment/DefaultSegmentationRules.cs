namespace Cohorts.Domain.Enrolment;

/// <summary>
/// The rule set every cohort gets after its own rules. The rules read titles, departments and job families folded by
/// <see cref="TitleFolding"/> (lower case, no accents, punctuation as spaces, seniority words gone), so that one pattern
/// serves "Científico de Datos" and "cientifico de datos", and name each role as HR systems name it in English,
/// German, French, Spanish, Dutch, Italian and Portuguese. German and Dutch compounds are matched by their parts: a
/// stem without a leading word boundary ("…sachbearbeiter", "…medewerker") matches inside "Schadensachbearbeiter".
/// </summary>
/// <remarks>
/// Order matters, and the first rule that matches decides: executives and directors before anything that mentions their
/// function; generative-AI titles before other engineering; risk, compliance, legal and audit before analysts; ML and
/// data science before generic engineering; technical managers before operational ones; roles with no part in an AI
/// use case (facilities, reception, security, catering, drivers, warehouse) before the operational words their titles
/// share ("Magazijnmedewerker", "Empfangsmitarbeiterin"); the department only when the title said nothing. A bare
/// "Manager" goes to triage on purpose: without a function it could be any track, so an admin decides.
/// </remarks>
public static class DefaultSegmentationRules
{
    /// <summary>The rules, in order.</summary>
    public static IReadOnlyList<SegmentationRule> All { get; } =
    [
        Title("title-executive", Track.Leaders, "executive title: investment, accountability and board communication",
            @"\b(chief|ceo|cio|cdo|cto|cfo|coo|cro|ciso|caio|president|presidente|vice president|vp|svp|evp|head of|general manager|managing director"
            + @"|geschaftsfuhrer\w*|vorstand\w*|generalbevollmachtigt\w*|prokurist\w*"                        // de
            + @"|pdg|president directeur general"                                                               // fr
            + @"|consejero delegado|gerente general"                                                            // es
            + @"|bestuurder|bestuursvoorzitter|voorzitter|algemeen directeur"                                   // nl
            + @"|amministratore delegato|dirigente"                                                             // it
            + @"|gerente geral|diretor presidente)\b"),                                                         // pt
        Title("title-director", Track.Leaders, "director or head of a function: leads a business unit",
            @"\b(director\w*|directeur|directrice|direktor\w*|directora|direttore|direttrice|diretor|diretora|hoofd|leiter|leiterin)\b"
            + @"|\b(?!(team|projekt|schicht|gruppen|filial|markt|kolonnen|bau)leiter)\w+leiter(in|innen)?\b"      // de compounds: Bereichsleiter, Revisionsleiter
            + @"|\b(jefe|jefa|chefe) (de|del|da|do|dos|das) (?!(proyecto|producto|projeto|produto|equipo|equipe|turno|grupo|seccion|cozinha|cocina)\b)"
            + @"|\bchef (de|du) (service|departement|division|pole)\b|\bcapo (ufficio|area|divisione|dipartimento|servizio)\b"),
        Title("title-genai", Track.Specialists, "generative-AI title: model capabilities and evaluation",
            @"\b(gen ?ai|generativ\w*|generatiev\w*|llm\w*|prompt|rag|nlp|conversational ai"
            + @"|lenguaje natural|langage naturel|linguaggio naturale|linguagem natural|natural language|sprachverarbeitung|taalverwerking)\b"
            + @"|\b(ai|ia|ki)\b.*\b(engineer|ingenieur|ingeniero|ingeniera|ingegnere|engenheir[oa]|architect|architekt|architecte|researcher|scientist|specialist|spezialist\w*|developer|entwickler\w*)\b"
            + @"|\b(engineer|ingenieur|ingeniero|ingeniera|ingegnere|engenheir[oa]|specialist|spezialist\w*|especialista|specialiste|specialista|expert|experte|esperto|architect|architekt)\b.*\b(ai|ia|ki|intelligence artificielle|inteligencia artificial|intelligenza artificiale|kunstliche intelligenz|kunstmatige intelligentie)\b"),
        Title("title-governance", Track.Governors, "risk, compliance, legal, audit or data protection title",
            @"\b(risk|risiko|risico|rischi|rischio|riesgo|riesgos|risco|riscos|risque|risques)\w*"
            + @"|\b(compliance|conformite|cumplimiento|conformidade|conformita|naleving)\w*"
            + @"|\b(legal|legale|counsel|lawyer|attorney|paralegal|solicitor|barrister|notar\w*|avocat\w*|avvocat\w*|abogad[oa]\w*|advocaat|advogad[oa]|rechtsanwalt\w*|anwalt\w*|syndikus\w*|justiziar\w*|juridi\w*|giurist\w*|giuridic\w*)\b|\w*jurist\w*"
            + @"|\b\w*(audit|revisor|revisora|revisore|wirtschaftsprufer)\w*"
            + @"|\b(governance|privacy|data protection|dpo|regulatory|reglementaire|regulatorio|regolamentare)\b"
            + @"|\b(information|cyber|it) ?security\b|\binformationssicherheit\w*|\bsecurite (de l |des systemes d )?information\w*|\bseguridad (de la )?informacion\b|\bsicurezza (informatica|delle informazioni)\b|\bseguranca da informacao\b|\binformatiebeveiliging\b"
            + @"|\w*datenschutz\w*|protection des donnees|proteccion de datos|protezione dei dati|protecao de dados|gegevensbescherming"),
        Title("title-ml", Track.Builders, "data science, ML or statistics title: applied model development",
            @"\b(data scien\w*|scientist|machine learning|ml|mlops|ml ops|deep learning|computer vision|analytics engineer|quant|quants|quantitative)\b"
            + @"|\w*datenwissenschaft\w*|datawetenschap\w*|scientifique des donnees|cientific[oa] de datos|cientista de dados|scienziat[oa] dei dati"
            + @"|apprentissage automatique|aprendizaje automatico|aprendizagem automatica|apprendimento automatico|maschinelles lernen"
            + @"|\b(statisti|estadistic|estatistic|actuar|actuair|atuari|attuari|versicherungsmathematik|aktuar)\w*"),
        Title("title-tech-manager", Track.Translators, "technical, product or project manager: frames use cases and requirements",
            @"\b(it|ict|engineering|product|program|programme|project|technology|digital|data|delivery|transformation)\b.*\b(manager|managerin|lead)\b"
            + @"|\bproduct owner\b|\bscrum master\b"
            + @"|\bprojekt(leiter|manager|steuer|verantwortlich)\w*|\bprodukt(manager|owner|verantwortlich)\w*|\w*projektleiter\w*|\b(project|product|programma)(leider|manager|eigenaar)\b"             // de, nl
            + @"|\bchef(fe)? de (projet|produit|programme)\b|\bresponsable (de |du )?(projet|produit|proyecto|producto)\b"             // fr, es
            + @"|\b(jefe|jefa|gerente|gestor|gestora) de (proyecto|producto|projeto|produto)s?\b"                                   // es, pt
            + @"|\b(capo|responsabile) (di )?(progetto|prodotto)\b"),                                                             // it
        Title("title-data-stack", Track.Builders, "data platform or software title: builds on the organisation's stack",
            @"\bdata (\w+ )?(engineer|architect)\b|\bplatform engineer\b|\b(arquitect[oa]|arquitet[oa]|architett[oa]|architecte|architect) (de |des |dei )?(datos|dados|dati|donnees|data)\b"
            + @"|\b(informatiker\w*|informaticien\w*|informatic[oa]|ingenieur informati\w*|ingeniero informatico)\b"
            + @"|\b(dba|bi developer|etl|software\w*|developer|programmer|programmeur|full stack|frontend|front end|backend|back end|devops)\b"
            + @"|\w*(datenbank|dateningenieur|datenarchitekt|ontwikkelaar|programmierer)\w*|\w*(software|anwendungs|web|app|backend|frontend|fullstack|daten|bi|etl|system)entwickler\w*|\bentwickler(in)?\b|\bdatabase\w*"                  // de, nl
            + @"|\bingenieur (de |des )?(donnees|data)\b|\bdeveloppeu(r|se)\b|\bbases? de (datos|donnees|dados)\b"                      // fr
            + @"|\bingenier[oa] de datos\b|\bdesarrollador\w*|\bprogramador\w*"                                                         // es
            + @"|\bingegnere dei dati\b|\bsviluppat\w*|\bprogrammat\w*"                                                                  // it
            + @"|\bengenheir[oa] de dados\b|\bdesenvolvedor\w*|\bbanco de dados\b"),                                                     // pt
        Title("title-operational-analyst", Track.Consumers, "analyst or adviser of an operational function (claims, credit, insurance or sales): handles cases with AI outputs",
            @"\b(analyst|analista|analyste|analist|consultant|consultor|consultora|consulente|conseill\w*|adviseur|advisor|adviser|asesor[a]?) (de |des |dei |di |em |en |d )?(sinistr\w*|siniestr\w*|schade\w*|credit[oa]?|cobran\w*|assicurativ\w*|seguros|assurances?|insurance|commercial\w*|comercial|vendas|ventas|vendite|clientes?|clientele|clientela)\b"
            + @"|\b(claims|credit|collections|insurance|sales|customer|client|fraud) (analyst|consultant|advisor|adviser)\b|\w*(versicherungs|verzekerings)(berater|adviseur)\w*"),
        Title("title-analyst", Track.Translators, "analyst, architect or consultant title: interprets outputs for the business",
            @"\w*(analyst|analist|analista|analyste|architekt|architect|arquitect|arquitet|architett)\w*"
            + @"|\b(consultant\w*|consultor\w*|consulente|business partner|project lead|unternehmensberater\w*|berater|beraterin|organisatieadviseur|bedrijfsadviseur)\b"),
        Title("title-operations-manager", Track.Consumers, "operational manager or team lead: works with AI outputs in daily operations",
            @"\b(sales|production|services|operations|store|shift|plant|office|area|branch|claims|underwriting|customer service|contact cent(re|er)|call cent(re|er)|account) manager\b"
            + @"|\baccountmanager\b|\bteam ?lead(er)?\b|\bteamleider\b|\w*(team|schicht|filial|markt|gruppen)leiter\w*|\bchef d equipe\b|\bjef[ea] de equipo\b|\bcapo ?squadra\b|\bsupervis\w*"),
        Title("title-no-ai-role", null, "facilities, reception, security, catering, driving or warehouse role: no part in an AI use case",
            @"\b(facilit\w*|hausmeister\w*|haustechnik\w*|conserje|concierge|porteir[oa]|portier\w*|portiere|pfortner\w*|gardien\w*|huismeester|caretaker|janitor|custodian|groundskeeper|gardener|gartner|jardinier|jardinero|giardiniere)\b"
            + @"|\b(recep\w*|empfang\w*|rezeption\w*|accueil|hotesse)"
            + @"|\b(cleaner|cleaning|housekeep\w*|limpi\w*|limpeza|faxineir[oa]|pulizi\w*|agent d entretien)\b|\w*reinigung\w*|\bschoonma\w*"
            + @"|\bsecurity (guard|officer|agent)\b|\bagent de securite\b|\w*sicherheitsmitarbeiter\w*|\bwerkschutz\w*|\bwachmann\b|\bvigilante\b|\bguardia\w*|\bbeveilig\w*|\bbewaker\b"
            + @"|^(head |sous |executive )?chef$|\bchef (de cuisine|de partie|cuisinier)\b|\b(cook|koch|kochin|kok|cuisinier\w*|cocinero\w*|cozinheir[oa]|cuoc[oa]|catering|kantine|kitchen|barista|waiter|waitress|kellner\w*|serveur|serveuse|camarero\w*|cameriere\w*)\b"
            + @"|\b(driver|chauffeur\w*|conductor|motorista|autista|courier|kurier)\b|\w*fahrer\b|\w*fahrerin\b"
            + @"|\b(warehouse|lager|lagerist\w*|magasinier\w*|mozo|almacen\w*|almoxarif\w*|magazzin\w*|forklift)\b|\bmagazijn\w*|\blager(arbeiter|mitarbeiter)\w*"
            + @"|\bmaintenance (technician|worker|operative)\b"),
        Rule("department-no-ai-role", HrField.Department, null, "works in facilities, catering or security: no part in an AI use case",
            @"\b(facilit\w*|facility management|services generaux|servicios generales|servizi generali|servicos gerais|catering|kantine|restauration|comedor|mensa|refeitorio|bedrijfsrestaurant|werkschutz|beveiliging|portaria)\b"),
        Title("title-operational", Track.Consumers, "operational role: uses AI tools and their outputs",
            @"\b(technician|representative|executive|assistant|accountant|support|engineer|clerk|agent|operator|operative|associate|specialist|officer|coordinator|nurse|human resources"
            + @"|recruiter|administrator|advisor|adviser|cashier|teller|bookkeeper|payroll|claims?|underwrit\w*|adjuster|handler|examiner|investigator|processor|planner|dispatcher|buyer|broker|controller|caseworker)\b"
            + @"|\w*(sachbearbeiter|mitarbeiter|regulierer|betreuer|kaufmann|kauffrau|buchhalter|pfleger|referent|assistent|techniker)\w*|\w*berater\w*|\b(pflege|kundenservice|vertrieb|disponent|monteur|kassierer)\w*"     // de
            + @"|\b(gestionnaire|souscript|conseill|teleconseill|commercia|comptab|infirmi|technicien|operat|attache|recrutement|paie|charge de clientele|chargee de clientele)\w*"               // fr
            + @"|\b(tramitador|perito|suscriptor|teleoperador|asesor|ejecutiv|contable|auxiliar|enfermer|tecnic|operari|seleccion|agente|gestor|administrativ|comercial|cajer)\w*"                // es
            + @"|\w*(behandelaar|medewerker|adviseur|boekhoud|verpleegkundig|salarisadministrat)\w*|\b(schade|acceptant|klant|verkoop|administratie)\w*"                                      // nl
            + @"|\b(liquidator|addett|assuntor|operator|venditor|contabil|impiegat|infermier|operai|paghe|cassier)\w*"                                                                      // it
            + @"|\b(regulador|subscritor|atendente|telemarketing|vendedor|contador|enfermeir|recrutador|assistente|departamento pessoal|caixa|executiv)\w*"),                                        // pt
        Title("title-bare-manager", null, "a manager or head without a function: an admin decides the track",
            @"^(manager|managerin|manager in|gerente|gestor|gestora|responsable|responsabile|responsavel|head|lead|chef|cheffe|leidinggevende|vorgesetzter)$"),
        Rule("department-operational", HrField.Department, Track.Consumers, "works in an operational department (claims, underwriting, customer service, sales, operations, production): uses AI outputs",
            @"\b(claim\w*|underwrit\w*|customer (service|care|support|operations)|contact cent\w*|call cent\w*|operations|sales|production|lending|collections|back office"
            + @"|schaden\w*|kundenservice|kundendienst|kundenbetreuung|vertrieb\w*|betrieb|produktion|leistung"                   // de
            + @"|sinistres?|indemnisation|souscription|relation clients?|centre de contacts?|ventes?|usine"             // fr
            + @"|siniestros?|suscripcion|atencion al cliente|centro de contacto|ventas|operaciones|produccion|planta"              // es
            + @"|schade\w*|acceptatie|klantenservice|verkoop|operatie|productie"                                                  // nl
            + @"|sinistri|assunzione|servizio clienti|call center|vendite|operazioni|produzione"                                 // it
            + @"|sinistros?|subscricao|atendimento\w*|central de atendimento|vendas|operacoes|producao|fabrica)\b"),              // pt
        Rule("department-governance", HrField.Department, Track.Governors, "works in a risk, compliance, legal or audit department",
            @"\b(risk|risiko|risico|rischi|riesgo|risco|risque|compliance|conformite|cumplimiento|conformidade|legal|recht|juridi|affari legali|audit|revision|governance)\w*"),
        Rule("department-data", HrField.Department, Track.Builders, "works in a data science or AI department",
            @"\b(data science|analytics|machine learning|artificial intelligence|ai|ki|ia|kunstliche intelligenz|intelligence artificielle|inteligencia artificial|intelligenza artificiale)\b"),
        Rule("family-governance", HrField.JobFamily, Track.Governors, "job family in risk, compliance, legal or audit",
            @"\b(risk|compliance|legal|audit)\b"),
        Rule("family-data", HrField.JobFamily, Track.Builders, "job family in data science",
            @"\b(data science|machine learning|analytics engineering)\b"),
    ];

    private static SegmentationRule Title(string id, Track? track, string reason, string pattern) => Rule(id, HrField.JobTitle, track, reason, pattern);

    private static SegmentationRule Rule(string id, HrField attribute, Track? track, string reason, string pattern) =>
        new(id, attribute, pattern, track, reason, Folded: true);
}
