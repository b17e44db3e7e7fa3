#!/usr/bin/env python3
"""Generate the ILLUSTRATIVE sample workbooks of submissions/ for review cycle 2026, and for a
few states the cycle before (2022), so that reports show what moved between cycles.

Every workbook starts as `write_template(state, 2026, lang)` and is filled in with openpyxl,
so the samples prove that a filled-in template validates. All content is FICTIONAL: the
programmes, figures, partners, web addresses (under the reserved .example domain) and
e-mail addresses are made up, and each workbook says so in its Submission sheet.

The members of RCM, CMC and SACM in 2026 are covered, except a few that do not submit.
A seeded random.Random(2026) makes regeneration reproducible byte for byte.

    .venv/bin/python scripts/make_samples.py [--output submissions]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from gcmtrack.reference.framework import framework
from gcmtrack.intake.contract import contract
from gcmtrack.intake.template import template_datetime, workbook_bytes, write_template
from gcmtrack.reference.processes import get_process
from gcmtrack.reference.states import states

SEED = 2026
CYCLE = 2026
#: The previous cycle (IMRF 2022) and the states that have a fictional workbook for it: a few
#: members of each sample process, so that reports of 2026 show trends.
PREVIOUS_CYCLE = 2022
PREVIOUS_SEED = 2022
PREVIOUS_STATES = ("CRI", "GTM", "HND", "MEX", "PAN", "SLV",  # RCM
                   "BHS", "BRB", "JAM", "TTO",  # CMC
                   "ARG", "CHL", "COL", "ECU", "PER")  # SACM
PROCESSES = ("RCM", "CMC", "SACM")
ROOT = Path(__file__).resolve().parent.parent

#: Members that do not submit in the sample set (so reports show gaps).
NOT_SUBMITTING = ("USA", "DOM", "MSR", "SXM", "PRY")
SPANISH = {"ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "GTM", "HND", "MEX", "NIC", "PAN",
           "PER", "PRY", "SLV", "URY", "VEN"}
FRENCH = {"HTI"}
TWO_VERSIONS = "JAM"

#: Completion profiles fixed for some states; the others are drawn at random.
#: full: 23 objectives; partial: 10-15 (the other rows deleted); gaps: 19-21 (rows deleted);
#: left_blank: 19-21, the other template rows left as they were (objective named, status empty).
COMPLETION = {"MEX": "full", "CAN": "full", "PAN": "full", "HTI": "partial", "ARG": "partial", "JAM": "left_blank"}
#: Deliberate warnings: an invalid e-mail and an unknown template version.
BAD_EMAIL = "BHS"
OLD_TEMPLATE = "GRD"
#: Deliberate variants the contract accepts: a state name instead of the code, "IMRF 2026".
STATE_AS_NAME = {"LCA": "St. Lucia"}
CYCLE_AS_TEXT = {"TTO": "IMRF 2026"}
#: Territories that mark one objective "not applicable".
NOT_APPLICABLE = {"AIA": 13, "CYM": 13, "ABW": 12, "TCA": 13}

# --------------------------------------------------------------------------- word banks

TOPICS = {
    1: ("migration data and statistics", "los datos y las estadísticas migratorias", "les données et statistiques migratoires"),
    2: ("the drivers of forced migration, including disasters and climate change", "los factores que obligan a migrar, incluidos los desastres y el cambio climático", "les facteurs de migration forcée, y compris les catastrophes et les changements climatiques"),
    3: ("information for migrants at every stage of migration", "la información para las personas migrantes en todas las etapas de la migración", "l'information des migrants à toutes les étapes de la migration"),
    4: ("legal identity and documentation", "la identidad jurídica y la documentación", "l'identité juridique et les documents d'identité"),
    5: ("regular migration pathways", "las vías de migración regular", "les filières de migration régulière"),
    6: ("fair recruitment and decent work", "la contratación equitativa y el trabajo decente", "le recrutement équitable et le travail décent"),
    7: ("migrants in situations of vulnerability", "las personas migrantes en situación de vulnerabilidad", "les migrants en situation de vulnérabilité"),
    8: ("search and rescue and missing migrants", "la búsqueda y el rescate de migrantes desaparecidos", "la recherche et le sauvetage des migrants disparus"),
    9: ("migrant smuggling", "el tráfico ilícito de migrantes", "le trafic illicite de migrants"),
    10: ("trafficking in persons", "la trata de personas", "la traite des personnes"),
    11: ("integrated border management", "la gestión integrada de fronteras", "la gestion intégrée des frontières"),
    12: ("screening, assessment and referral", "la identificación, evaluación y derivación", "le contrôle, l'évaluation et l'orientation"),
    13: ("alternatives to immigration detention", "las alternativas a la detención migratoria", "les alternatives à la rétention administrative"),
    14: ("consular protection and assistance", "la protección y asistencia consular", "la protection et l'assistance consulaires"),
    15: ("migrants' access to health, education and other basic services", "el acceso de las personas migrantes a la salud, la educación y otros servicios básicos", "l'accès des migrants à la santé, à l'éducation et aux autres services de base"),
    16: ("inclusion and social cohesion", "la inclusión y la cohesión social", "l'inclusion et la cohésion sociale"),
    17: ("non-discrimination and public perceptions of migration", "la no discriminación y la percepción pública de la migración", "la non-discrimination et la perception de la migration par le public"),
    18: ("skills development and the recognition of qualifications", "el desarrollo de competencias y el reconocimiento de títulos", "le développement des compétences et la reconnaissance des qualifications"),
    19: ("diaspora engagement", "la vinculación con la diáspora", "la mobilisation de la diaspora"),
    20: ("the cost of remittances and financial inclusion", "el costo de las remesas y la inclusión financiera", "le coût des envois de fonds et l'inclusion financière"),
    21: ("safe and dignified return and sustainable reintegration", "el retorno seguro y digno y la reintegración sostenible", "le retour dans la sécurité et la dignité et la réintégration durable"),
    22: ("the portability of social security benefits", "la portabilidad de las prestaciones de seguridad social", "la portabilité des droits de sécurité sociale"),
    23: ("regional and international cooperation on migration", "la cooperación regional e internacional en materia migratoria", "la coopération régionale et internationale en matière de migration"),
}
LANG_INDEX = {"en": 0, "es": 1, "fr": 2}

AGENCIES = {
    "en": ["the Immigration Department", "the Ministry of Labour", "the Ministry of Foreign Affairs",
           "the National Statistics Office", "the Ministry of Health", "the Ministry of National Security",
           "the Office of Disaster Preparedness", "the Ministry of Social Development"],
    "es": ["el Instituto Nacional de Migración", "la Dirección General de Migración", "el Ministerio de Trabajo",
           "la Cancillería", "la Oficina Nacional de Estadística", "el Ministerio de Salud",
           "el Sistema Nacional de Protección Civil", "el Ministerio de Desarrollo Social"],
    "fr": ["le ministère de l'Intérieur", "la Direction de l'immigration et de l'émigration",
           "l'Office national de la migration", "le ministère des Affaires sociales et du Travail",
           "le ministère de la Santé publique", "la Direction de la protection civile"],
}
PARTNERS = {
    "en": ["IOM", "UNHCR", "ILO", "UNICEF", "UNDP", "UN Women", "PAHO/WHO", "the national Red Cross society",
           "municipal governments", "civil society organisations", "the employers' federation", "trade unions",
           "diaspora associations", "faith-based shelters", "the national university"],
    "es": ["la OIM", "el ACNUR", "la OIT", "UNICEF", "el PNUD", "ONU Mujeres", "la OPS/OMS", "la Cruz Roja nacional",
           "gobiernos municipales", "organizaciones de la sociedad civil", "el sector empleador", "sindicatos",
           "asociaciones de la diáspora", "albergues de organizaciones religiosas", "la universidad nacional"],
    "fr": ["l'OIM", "l'UNICEF", "l'OIT", "l'UNFPA", "l'OPS/OMS", "la Croix-Rouge nationale",
           "les mairies", "les organisations de la société civile", "les associations de la diaspora",
           "l'université d'État"],
}
# Partners used after "with support from" / "con apoyo de" / "avec l'appui de" (grammatical there).
SUPPORT = {
    "en": ["IOM", "UNHCR", "ILO", "UNICEF", "UNDP", "UN Women", "PAHO/WHO"],
    "es": ["la OIM", "la OIT", "UNICEF", "ONU Mujeres", "la OPS/OMS", "la CEPAL"],
    "fr": ["l'OIM", "l'UNICEF", "l'OIT", "l'UNFPA", "l'OPS/OMS"],
}

# Sentences by kind: done (implemented), doing (in progress), plan (planned / not started).
SENTENCES = {
    "en": {
        "done": [
            "In {y1} {agency} adopted a national action plan on {topic}; an inter-institutional working group follows it up every quarter.",
            "Standard operating procedures on {topic} were validated in {y1} with civil society organisations and local authorities, and are applied nationwide.",
            "{topic_cap} is part of the National Development Plan {y1}-{y3}, with {n} monitoring indicators reported every year.",
        ],
        "doing": [
            "A pilot on {topic} has run in {n} municipalities since {y1}, with technical support from {support}; an evaluation is due in {y2}.",
            "Draft regulations on {topic} were prepared by {agency} in {y1} and are under legal review.",
            "Since {y1}, {agency} has trained {n} officials on {topic}, using a curriculum developed with {support}.",
        ],
        "plan": [
            "No specific measure yet; a needs assessment on {topic} is planned with {support} for {y2}.",
            "{topic_cap} will be addressed in the next national migration policy, to be drafted by {agency} in {y2}.",
        ],
        "na": "Not applicable: the territory has no immigration detention or screening facility of its own; the rare cases are handled by the police under general law.",
    },
    "es": {
        "done": [
            "En {y1}, {agency} adoptó un plan de acción nacional sobre {topic}; una mesa interinstitucional le da seguimiento cada trimestre.",
            "En {y1} se validaron protocolos sobre {topic} con organizaciones de la sociedad civil y gobiernos locales, y se aplican en todo el país.",
            "El Plan Nacional de Desarrollo {y1}-{y3} incluye compromisos sobre {topic}, con {n} indicadores de seguimiento anual.",
        ],
        "doing": [
            "Desde {y1} se ejecuta un piloto sobre {topic} en {n} municipios, con apoyo técnico de {support}; la evaluación está prevista para {y2}.",
            "{agency_cap} elaboró en {y1} un proyecto de reglamento sobre {topic}, actualmente en revisión jurídica.",
            "Desde {y1}, {agency} capacitó a {n} funcionarias y funcionarios sobre {topic}, con un programa elaborado junto con {support}.",
        ],
        "plan": [
            "Aún no hay medidas específicas; se prevé un diagnóstico sobre {topic} con {support} en {y2}.",
            "La próxima política migratoria nacional, que {agency} redactará en {y2}, abordará {topic}.",
        ],
        "na": "No aplica: el territorio no cuenta con centros propios de detención migratoria; los pocos casos los atiende la policía conforme al derecho común.",
    },
    "fr": {
        "done": [
            "En {y1}, {agency} a adopté un plan d'action national sur {topic} ; un groupe de travail interinstitutionnel en assure le suivi chaque trimestre.",
            "Des procédures opérationnelles normalisées sur {topic} ont été validées en {y1} avec la société civile et les collectivités locales, et sont appliquées dans tout le pays.",
            "Le Plan national de développement {y1}-{y3} comporte des engagements sur {topic}, assortis de {n} indicateurs de suivi annuel.",
        ],
        "doing": [
            "Un projet pilote sur {topic} est mené dans {n} communes depuis {y1}, avec l'appui technique de {support} ; son évaluation est prévue en {y2}.",
            "{agency_cap} a préparé en {y1} un projet de règlement sur {topic}, en cours d'examen juridique.",
            "Depuis {y1}, {agency} a formé {n} agents publics sur {topic}, avec un programme conçu avec {support}.",
        ],
        "plan": [
            "Pas encore de mesure spécifique ; un diagnostic sur {topic} est prévu avec {support} en {y2}.",
            "La prochaine politique migratoire nationale, que {agency} rédigera en {y2}, traitera de {topic}.",
        ],
        "na": "Sans objet : le territoire ne dispose d'aucun centre de rétention ; les rares cas sont traités par la police selon le droit commun.",
    },
}
EVIDENCE = {
    "en": ["Annual report {y} of {agency}", "Cabinet decision no. {n}/{y}", "Official Gazette, {y}",
           "Evaluation report ({y}), available on request", "Administrative records, {y}"],
    "es": ["Informe anual {y} de {agency}", "Decreto ejecutivo n.º {n}-{y}", "Diario Oficial, {y}",
           "Informe de evaluación ({y}), disponible a solicitud", "Registros administrativos, {y}"],
    "fr": ["Rapport annuel {y} de {agency}", "Arrêté n° {n}/{y}", "Journal officiel, {y}",
           "Rapport d'évaluation ({y}), disponible sur demande", "Registres administratifs, {y}"],
}
URL_SLUGS = ["migration", "labour", "stats", "health", "foreign", "identity", "diaspora"]

INSTITUTIONS = {
    "en": ["Ministry of Foreign Affairs (fictional sample)", "Ministry of National Security (fictional sample)",
           "National Migration Office (fictional sample)", "Ministry of Labour and Social Security (fictional sample)"],
    "es": ["Ministerio de Relaciones Exteriores (muestra ficticia)", "Dirección General de Migración (muestra ficticia)",
           "Ministerio de Gobernación (muestra ficticia)", "Instituto Nacional de Migración (muestra ficticia)"],
    "fr": ["Ministère des Affaires étrangères et des Cultes (échantillon fictif)"],
}
NOTE_LABEL = {"en": "Note", "es": "Nota", "fr": "Note"}
NOTE_TEXT = {
    "en": "Illustrative sample: fictional content generated by gcmtrack (scripts/make_samples.py).",
    "es": "Muestra ilustrativa: contenido ficticio generado por gcmtrack (scripts/make_samples.py).",
    "fr": "Échantillon illustratif : contenu fictif généré par gcmtrack (scripts/make_samples.py).",
}
OBJECTIVE_WORD = {"en": "Objective", "es": "Objetivo", "fr": "Objectif"}


@dataclass(frozen=True)
class PracticeIdea:
    key: str
    objectives: tuple[int, ...]
    themes: tuple[str, ...]
    title: tuple[str, str, str]
    description: tuple[str, str, str]


PRACTICES = [
    PracticeIdea("safe_routes", (3, 9), ("information", "migrant_smuggling"),
                 ("Safe Routes information campaign", "Campaña «Rutas Seguras»", "Campagne « Routes sûres »"),
                 ("Radio, social-media and bus-terminal campaign on the risks of irregular journeys and on the regular alternatives, in four languages.",
                  "Campaña en radio, redes sociales y terminales de autobuses sobre los riesgos de los viajes irregulares y las alternativas regulares, en cuatro idiomas.",
                  "Campagne à la radio, sur les réseaux sociaux et dans les gares routières sur les risques des voyages irréguliers et les alternatives régulières, en quatre langues.")),
    PracticeIdea("fair_recruitment", (6,), ("labour_migration",),
                 ("Fair Recruitment pilot", "Piloto de Contratación Equitativa", "Projet pilote de recrutement équitable"),
                 ("Licensed recruitment agencies commit to the employer-pays principle; workers can report fees through a free hotline.",
                  "Las agencias de colocación autorizadas se comprometen con el principio de que paga el empleador; las personas trabajadoras pueden denunciar cobros por una línea gratuita.",
                  "Les agences de placement agréées s'engagent sur le principe « l'employeur paie » ; les travailleurs peuvent signaler des frais via une ligne gratuite.")),
    PracticeIdea("seasonal_workers", (5, 6), ("labour_migration",),
                 ("Seasonal Worker Mobility Scheme", "Programa de Movilidad de Trabajadores Temporales", "Programme de mobilité des travailleurs saisonniers"),
                 ("Bilateral scheme placing agricultural and hospitality workers for up to nine months, with pre-departure orientation and a return guarantee.",
                  "Programa bilateral que coloca a trabajadores agrícolas y de hostelería hasta nueve meses, con orientación previa a la partida y garantía de retorno.",
                  "Programme bilatéral plaçant des travailleurs agricoles et de l'hôtellerie pour neuf mois au plus, avec orientation avant le départ et garantie de retour.")),
    PracticeIdea("data_observatory", (1,), ("migration_data",),
                 ("Migration Data Observatory", "Observatorio Nacional de Datos Migratorios", "Observatoire national des données migratoires"),
                 ("An online dashboard that joins border, civil-registry and labour-force survey data, updated every quarter.",
                  "Tablero en línea que une datos de fronteras, registro civil y encuestas de empleo, actualizado cada trimestre.",
                  "Tableau de bord en ligne réunissant données frontalières, d'état civil et d'enquêtes emploi, mis à jour chaque trimestre.")),
    PracticeIdea("border_health", (15, 11), ("migration_health", "border_management"),
                 ("Border Health Posts network", "Red de Puestos de Salud Fronterizos", "Réseau de postes de santé frontaliers"),
                 ("Primary-care posts at the main land crossings offer vaccination, maternal care and referral, whatever the migration status.",
                  "Puestos de atención primaria en los principales pasos terrestres ofrecen vacunación, atención materna y derivación, sin importar la condición migratoria.",
                  "Des postes de soins primaires aux principaux passages terrestres offrent vaccination, soins maternels et orientation, quel que soit le statut migratoire.")),
    PracticeIdea("trafficking_referral", (10,), ("counter_trafficking",),
                 ("National Counter-Trafficking Referral Mechanism", "Mecanismo Nacional de Derivación contra la Trata", "Mécanisme national d'orientation contre la traite"),
                 ("One protocol for police, labour inspectors, health staff and shelters to identify and refer presumed victims within 24 hours.",
                  "Un protocolo único para policía, inspección laboral, personal de salud y albergues para identificar y derivar a presuntas víctimas en 24 horas.",
                  "Un protocole unique pour la police, l'inspection du travail, le personnel de santé et les foyers afin d'identifier et d'orienter les victimes présumées en 24 heures.")),
    PracticeIdea("home_again", (21,), ("return_reintegration",),
                 ("Home Again reintegration programme", "Programa «De Vuelta a Casa»", "Programme « Lakay se lakay » de réintégration"),
                 ("Reception at the airport, psychosocial support, and seed grants for small businesses of returnees, with follow-up visits for a year.",
                  "Recepción en el aeropuerto, apoyo psicosocial y capital semilla para emprendimientos de personas retornadas, con seguimiento durante un año.",
                  "Accueil à l'aéroport, soutien psychosocial et subventions de démarrage pour les petites entreprises des rapatriés, avec un suivi d'un an. Slogan de la campagne : « Nou tout se moun, nou tout gen dwa » (« Nous sommes tous des êtres humains, nous avons tous des droits »).")),
    PracticeIdea("diaspora_bond", (19, 20), ("diaspora", "remittances"),
                 ("Diaspora Investment Bond", "Bono Diáspora para el Desarrollo", "Obligation diaspora pour le développement"),
                 ("A small-denomination bond sold online to nationals abroad; proceeds fund rural water and school projects.",
                  "Bono de baja denominación vendido en línea a nacionales en el exterior; lo recaudado financia proyectos rurales de agua y escuelas.",
                  "Obligation de faible montant vendue en ligne aux ressortissants de l'étranger ; le produit finance des projets ruraux d'eau et d'écoles.")),
    PracticeIdea("remittance_wallet", (20,), ("remittances",),
                 ("Low-cost remittance digital wallet", "Billetera digital de remesas de bajo costo", "Portefeuille numérique pour des envois de fonds à bas coût"),
                 ("A mobile wallet run with the central bank and credit unions, bringing the average cost of sending 200 US dollars below 3 per cent.",
                  "Billetera móvil operada con el banco central y cooperativas de ahorro, que reduce el costo medio de enviar 200 dólares por debajo del 3 %.",
                  "Portefeuille mobile géré avec la banque centrale et les coopératives d'épargne, qui ramène le coût moyen d'un envoi de 200 dollars sous 3 %.")),
    PracticeIdea("birth_registration", (4,), ("legal_identity",),
                 ("Late birth registration drive", "Jornadas de registro civil tardío", "Campagne d'enregistrement tardif des naissances"),
                 ("Mobile civil-registry teams visit border and rural communities to register births and issue identity documents free of charge.",
                  "Brigadas móviles del registro civil visitan comunidades fronterizas y rurales para inscribir nacimientos y emitir documentos de identidad sin costo.",
                  "Des équipes mobiles d'état civil se rendent dans les communautés frontalières et rurales pour enregistrer les naissances et délivrer gratuitement des pièces d'identité.")),
    PracticeIdea("hurricane_plan", (2, 7), ("climate_change", "emergency_preparedness"),
                 ("Hurricane-season mobility preparedness plan", "Plan de preparación ante la movilidad en temporada de huracanes", "Plan de préparation aux déplacements en saison cyclonique"),
                 ("Shelter plans, evacuation messages and relief distribution include migrants, whatever their status, with interpreters on call.",
                  "Los planes de albergue, los mensajes de evacuación y la distribución de ayuda incluyen a las personas migrantes, sin importar su condición, con intérpretes disponibles.",
                  "Les plans d'hébergement, les messages d'évacuation et la distribution de secours incluent les migrants, quel que soit leur statut, avec des interprètes disponibles.")),
    PracticeIdea("skills_passport", (18,), ("skills_recognition",),
                 ("Skills Passport", "Pasaporte de Competencias", "Passeport de compétences"),
                 ("Migrants and returnees can have work skills assessed and certified in two weeks, with the certificate recognised by partner countries.",
                  "Personas migrantes y retornadas pueden evaluar y certificar sus competencias laborales en dos semanas, con un certificado reconocido por países socios.",
                  "Les migrants et les rapatriés peuvent faire évaluer et certifier leurs compétences en deux semaines, avec un certificat reconnu par les pays partenaires.")),
    PracticeIdea("welcome_centres", (16, 15), ("integration",),
                 ("Welcome Centres for newcomers", "Centros de Acogida e Integración", "Centres d'accueil et d'intégration"),
                 ("One-stop centres in three cities with language classes, school enrolment help and legal advice.",
                  "Centros de atención integral en tres ciudades con clases de idioma, apoyo para la inscripción escolar y asesoría jurídica.",
                  "Guichets uniques dans trois villes avec cours de langue, aide à l'inscription scolaire et conseil juridique.")),
    PracticeIdea("detention_alternatives", (13,), ("alternatives_to_detention",),
                 ("Community alternatives to detention pilot", "Piloto de alternativas comunitarias a la detención", "Projet pilote d'alternatives communautaires à la rétention"),
                 ("Families and children are placed in community housing with case management instead of detention while their cases are decided.",
                  "Las familias y niñas, niños y adolescentes se alojan en viviendas comunitarias con gestión de casos en lugar de detención mientras se resuelven sus casos.",
                  "Les familles et les enfants sont hébergés dans des logements communautaires avec un suivi individuel plutôt qu'en rétention pendant l'examen de leur dossier.")),
    PracticeIdea("consular_hotline", (14,), ("consular_protection",),
                 ("24/7 consular assistance hotline", "Línea consular de asistencia 24/7", "Ligne d'assistance consulaire 24 h/24"),
                 ("A free line and messaging channel for nationals abroad in distress, connected to every consulate.",
                  "Línea gratuita y canal de mensajería para connacionales en el exterior en situación de emergencia, conectados con todos los consulados.",
                  "Une ligne gratuite et une messagerie pour les ressortissants en détresse à l'étranger, reliées à tous les consulats.")),
    PracticeIdea("social_security", (22,), ("social_protection",),
                 ("Social security portability agreement", "Convenio de portabilidad de la seguridad social", "Accord de portabilité de la sécurité sociale"),
                 ("Contributions paid in either country count towards old-age pensions in both; the first transfers were paid in the reporting period.",
                  "Las cotizaciones pagadas en cualquiera de los países cuentan para la pensión de vejez en ambos; las primeras transferencias se pagaron en el período.",
                  "Les cotisations versées dans l'un ou l'autre pays comptent pour la pension de vieillesse dans les deux ; les premiers transferts ont été versés pendant la période.")),
    PracticeIdea("media_charter", (17,), ("discrimination",),
                 ("Media charter against xenophobia", "Pacto de medios contra la xenofobia", "Charte des médias contre la xénophobie"),
                 ("Newsrooms commit to accurate terms and to fact-checking claims about migrants; a yearly award recognises good reporting.",
                  "Las redacciones se comprometen a usar términos precisos y verificar afirmaciones sobre personas migrantes; un premio anual reconoce el buen periodismo.",
                  "Les rédactions s'engagent à employer des termes exacts et à vérifier les affirmations sur les migrants ; un prix annuel récompense le bon journalisme.")),
    PracticeIdea("missing_migrants", (8,), ("missing_migrants",),
                 ("Missing migrants search desk", "Mesa de búsqueda de migrantes desaparecidos", "Cellule de recherche des migrants disparus"),
                 ("Families can file a search request at any consulate; forensic data are shared with neighbouring countries under a common protocol.",
                  "Las familias pueden presentar una solicitud de búsqueda en cualquier consulado; los datos forenses se comparten con países vecinos bajo un protocolo común.",
                  "Les familles peuvent déposer une demande de recherche dans tout consulat ; les données médico-légales sont partagées avec les pays voisins selon un protocole commun.")),
]

LONG_NARRATIVE = {
    ("MEX", 5): (
        "Durante el período, la política de vías regulares se organizó en tres líneas. Primero, la ampliación de "
        "las tarjetas de visitante trabajador fronterizo a cuatro estados del sur, con trámite en línea, cita en "
        "menos de diez días y una vigencia de un año renovable; en 2024 se emitieron más de 40 000 tarjetas "
        "(cifra ilustrativa). Segundo, un programa piloto de reunificación familiar que reduce a sesenta días el "
        "plazo de respuesta y admite pruebas de vínculo distintas de las actas del registro civil, pensado para "
        "familias que huyeron sin documentos. Tercero, acuerdos de movilidad laboral temporal con dos países de "
        "la región para los sectores agrícola, de construcción y de cuidados, que incluyen orientación previa a "
        "la partida, contratos en el idioma de la persona trabajadora, seguro médico desde el primer día y un "
        "mecanismo de queja accesible desde el teléfono móvil. Las tres líneas se evaluaron con la participación "
        "de organizaciones de la sociedad civil, gobiernos estatales y el sector empleador; la evaluación "
        "intermedia señaló como retos la saturación de las oficinas en temporada alta, la falta de información "
        "en lenguas indígenas y la necesidad de coordinar mejor los datos entre dependencias. Para el próximo "
        "ciclo se prevé digitalizar el expediente completo, abrir ventanillas móviles en los municipios con "
        "mayor demanda, publicar estadísticas trimestrales desagregadas por sexo, edad y nacionalidad, y "
        "extender los acuerdos de movilidad a un tercer país. Todo el contenido de este libro es ficticio y "
        "sirve solo para ilustrar el funcionamiento de gcmtrack."
    ),
    ("JAM", 10): (
        "The national response to trafficking in persons rests on four pillars: prevention, protection, "
        "prosecution and partnership. On prevention, the task force ran school and community sessions in all "
        "parishes, trained hotel, port and agricultural employers to recognise indicators of forced labour, and "
        "put posters with the free hotline number in every bus terminal and clinic. On protection, a second "
        "shelter opened in the reporting period, a standard referral form is now used by police, labour "
        "inspectors, health and child-protection staff, and survivors may receive a temporary residence permit "
        "and a work permit while their case is heard, whatever their nationality. On prosecution, a specialised "
        "unit of prosecutors handles every case, trial times fell by a third between 2022 and 2025 (illustrative "
        "figures), and victim-witnesses may testify by video link. On partnership, memoranda of understanding "
        "with three countries of origin allow joint investigations and the safe return of survivors who wish "
        "to go home, with reintegration support arranged before departure. Remaining challenges include the "
        "identification of victims among irregular migrants intercepted at sea, the small number of "
        "convictions for labour trafficking, and the need for long-term funding of the shelters beyond project "
        "grants. The next national action plan, now in consultation, adds online recruitment, the protection "
        "of boys and men, and data sharing with the regional migration observatory. Everything in this sample "
        "workbook is fictional and only illustrates how gcmtrack works."
    ),
    ("HTI", 21): (
        "Le dispositif d'accueil des personnes rapatriées a été renforcé pendant la période couverte. À "
        "l'aéroport et aux principaux points de passage frontaliers, une équipe conjointe de l'Office national "
        "de la migration, de la protection civile et d'organisations de la société civile reçoit chaque "
        "personne, vérifie ses besoins immédiats (soins, eau, transport, hébergement d'urgence) et l'enregistre "
        "dans un fichier unique qui permet le suivi sans multiplier les entretiens. Les enfants non accompagnés "
        "sont orientés vers les services de protection de l'enfance dans les six heures. Pour la réintégration, "
        "un guichet dans chaque département propose un accompagnement psychosocial, une aide à l'obtention "
        "des pièces d'identité, des formations courtes et des subventions de démarrage pour de petites "
        "activités génératrices de revenus ; la devise du programme, « Lakay se lakay » (« on n'est jamais "
        "aussi bien que chez soi »), a été choisie avec des associations de rapatriés. Les collectivités "
        "locales d'accueil bénéficient aussi de petits projets communautaires, afin d'éviter les tensions. "
        "Les difficultés persistent : l'insécurité dans certaines zones, le manque de financement durable, "
        "l'enregistrement incomplet des retours spontanés et la coordination avec les pays d'où les personnes "
        "sont renvoyées. Le prochain plan prévoit des accords de réadmission assortis de garanties de dignité, "
        "un suivi à six et douze mois de chaque personne accompagnée et la publication de statistiques "
        "trimestrielles. Tout le contenu de ce classeur est fictif et sert seulement à illustrer gcmtrack."
    ),
}
#: Practices a state always reports (they carry the Haitian Creole and Devanagari text).
FORCED_PRACTICE = {"HTI": "home_again", "GUY": "diaspora_bond"}
#: Non-Latin text in a Partners cell: (state, objective or practice key) -> partners text.
SPECIAL_PARTNERS = {
    ("PAN", 16): "ONU Mujeres; asociación comunitaria «巴拿马新移民互助会» (nombre ficticio); gobiernos municipales",
    ("GUY", "diaspora_bond"): "Diaspora unit of the Ministry of Foreign Affairs; “प्रवासी सेतु” (Pravasi Setu diaspora network, fictional)",
}


# --------------------------------------------------------------------------- the plan of one workbook


@dataclass
class ObjectivePlan:
    number: int
    status: str
    measures: str = ""
    evidence: str = ""
    partners: str = ""
    principles: str = ""


@dataclass
class PracticePlan:
    idea: PracticeIdea
    title: str
    description: str
    objectives: object
    themes: str
    status: str
    start_year: object
    partners: str
    link: str
    principles: str


@dataclass
class WorkbookPlan:
    code: str
    lang: str
    filename: str
    completion: str
    state_value: object
    cycle_value: object
    period: str
    institution: str
    email: str
    date: object
    template_version: str | None
    objectives: dict[int, ObjectivePlan] = field(default_factory=dict)
    practices: list[PracticePlan] = field(default_factory=list)
    left_blank: bool = False
    cycle: int = CYCLE


def language_of(code: str) -> str:
    return "es" if code in SPANISH else "fr" if code in FRENCH else "en"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _status_kind(status: str) -> str:
    return {"implemented": "done", "in_progress": "doing"}.get(status, "plan")


def _measures(rng: random.Random, lang: str, number: int, status: str) -> str:
    topic = TOPICS[number][LANG_INDEX[lang]]
    agency = rng.choice(AGENCIES[lang])
    y1 = rng.randint(2019, 2024)
    params = {"topic": topic, "topic_cap": _cap(topic), "agency": agency, "agency_cap": _cap(agency),
              "support": rng.choice(SUPPORT[lang]), "y1": y1, "y2": min(y1 + rng.randint(1, 3), 2027),
              "y3": y1 + 5, "n": rng.choice([3, 4, 6, 8, 12, 25, 40, 120, 350])}
    kind = _status_kind(status)
    sentences = [rng.choice(SENTENCES[lang][kind]).format(**params)]
    if kind == "done" and rng.random() < 0.5:
        sentences.append(rng.choice(SENTENCES[lang]["doing"]).format(**params))
    return " ".join(sentences)


def _evidence(rng: random.Random, lang: str, code: str) -> str:
    agency = rng.choice(AGENCIES[lang])
    y = rng.randint(2021, 2025)
    text = rng.choice(EVIDENCE[lang]).format(agency=agency, y=y, n=rng.randint(12, 480))
    if rng.random() < 0.4:
        url = f"https://www.{rng.choice(URL_SLUGS)}.{code.lower()}.example/reports/{y}"
        text = f"{text}; {url}" if rng.random() < 0.7 else url
    return text


def _partners(rng: random.Random, lang: str) -> str:
    return ", ".join(rng.sample(PARTNERS[lang], rng.randint(1, 3)))


def _principles(rng: random.Random, lang: str) -> str:
    chosen = sorted(rng.sample(framework().principles, rng.randint(1, 4)), key=lambda p: p.letter)
    form = rng.choice(["letters", "names", "mixed", "lines"])
    if form == "letters":
        return ", ".join(p.letter for p in chosen)
    if form == "names":
        return "; ".join(p.name(lang) for p in chosen)
    if form == "mixed":
        return "; ".join(p.letter if i % 2 == 0 else p.name(lang) for i, p in enumerate(chosen))
    return "\n".join(p.name(lang) for p in chosen)


def _objective_refs(rng: random.Random, lang: str, numbers: tuple[int, ...]) -> object:
    """Objective references in the varied forms submitters use (never joined by and/y/et)."""
    if len(numbers) == 1:
        n = numbers[0]
        return rng.choice([n, str(n), f"{OBJECTIVE_WORD[lang]} {n}", f"O{n}", f"Obj. {n}"])
    form = rng.choice(["commas", "semicolons", "mixed", "words", "short", "lines"])
    if form == "commas":
        return ", ".join(str(n) for n in numbers)
    if form == "semicolons":
        return "; ".join(str(n) for n in numbers)
    if form == "mixed":
        head, *rest = numbers
        return f"{head}, " + "; ".join(str(n) for n in rest)
    if form == "words":
        return ", ".join(f"{OBJECTIVE_WORD[lang]} {n}" for n in numbers)
    if form == "short":
        return ", ".join(f"O{n}" for n in numbers)
    return "\n".join(str(n) for n in numbers)


def _draw_status(rng: random.Random, maturity: float) -> str:
    weights = [maturity, 0.45, (1 - maturity) * 0.5, (1 - maturity) * 0.25]
    return rng.choices(["implemented", "in_progress", "planned", "not_started"], weights)[0]


def _practice(rng: random.Random, code: str, lang: str, idea: PracticeIdea, maturity: float) -> PracticePlan:
    index = LANG_INDEX[lang]
    name = states().get(code).name(lang)
    title = idea.title[index]
    if rng.random() < 0.3:
        title = f"{name} {title}" if lang == "en" else f"{title} ({name})"
    fw = framework()
    theme_names = [next(t for t in fw.themes if t.key == key).name(lang) for key in idea.themes]
    mode = rng.choice(["both", "both", "objectives", "themes"])
    objectives = _objective_refs(rng, lang, idea.objectives) if mode != "themes" else None
    themes = (rng.choice(["; ", "\n"]).join(theme_names) if mode != "objectives" else "")
    if rng.random() < 0.75:
        start_year: object = rng.randint(2016, 2025)
        if rng.random() < 0.2:
            start_year = str(start_year)
    else:
        start_year = None
    link = ""
    if rng.random() < 0.5:
        link = f"https://www.{rng.choice(URL_SLUGS)}.{code.lower()}.example/programmes/{idea.key.replace('_', '-')}"
    partners = SPECIAL_PARTNERS.get((code, idea.key)) or _partners(rng, lang)
    return PracticePlan(
        idea=idea, title=title, description=idea.description[index], objectives=objectives, themes=themes,
        status=_draw_status(rng, maturity), start_year=start_year, partners=partners, link=link,
        principles=_principles(rng, lang) if rng.random() < 0.5 else "",
    )


def plan_workbook(rng: random.Random, code: str) -> WorkbookPlan:
    lang = language_of(code)
    fw = framework()
    completion = COMPLETION.get(code) or rng.choices(["full", "partial", "gaps"], [0.5, 0.3, 0.2])[0]
    maturity = rng.uniform(0.25, 0.85)
    numbers = list(fw.objectives)
    if completion == "partial":
        reported = sorted(rng.sample(numbers, rng.randint(10, 15)))
    elif completion in ("gaps", "left_blank"):
        reported = sorted(rng.sample(numbers, rng.randint(19, 21)))
    else:
        reported = numbers
    reported = sorted(set(reported) | {n for (state, n) in LONG_NARRATIVE if state == code})
    # practices first, so that an objective a practice maps to is never "not applicable"
    ideas = rng.sample(PRACTICES, rng.randint(0, 8))
    forced = FORCED_PRACTICE.get(code)
    if forced and not any(i.key == forced for i in ideas):
        ideas.append(next(i for i in PRACTICES if i.key == forced))
    practices = [_practice(rng, code, lang, idea, maturity) for idea in ideas]
    mapped = {n for p in practices for n in p.idea.objectives}
    mapped |= {n for p in practices for key in p.idea.themes for t in fw.themes if t.key == key for n in t.objectives}

    objectives: dict[int, ObjectivePlan] = {}
    for number in reported:
        if NOT_APPLICABLE.get(code) == number and number not in mapped:
            objectives[number] = ObjectivePlan(number, "not_applicable", SENTENCES[lang]["na"])
            continue
        status = _draw_status(rng, maturity)
        plan = ObjectivePlan(number, status)
        if rng.random() < 0.9 or status in ("implemented", "in_progress"):
            plan.measures = LONG_NARRATIVE.get((code, number)) or _measures(rng, lang, number, status)
        if status != "not_started" and rng.random() < 0.65:
            plan.evidence = _evidence(rng, lang, code)
        if rng.random() < 0.7:
            plan.partners = _partners(rng, lang)
        plan.partners = SPECIAL_PARTNERS.get((code, number), plan.partners)
        if rng.random() < 0.55:
            plan.principles = _principles(rng, lang)
        objectives[number] = plan
    for (state, number), text in LONG_NARRATIVE.items():
        if state == code and number in objectives:
            objectives[number].measures = text

    submitted = dt.date(2025, 10, 1) + dt.timedelta(days=rng.randint(0, 110))
    institution = rng.choice(INSTITUTIONS[lang])
    slug = "".join(word[0] for word in institution.split("(")[0].split() if word[0].isupper()).lower() or "gov"
    email = f"gcm.focalpoint@{slug}.{code.lower()}.example"
    if code == BAD_EMAIL:
        email = f"gcm focal point at {slug}.{code.lower()}.example"
    return WorkbookPlan(
        code=code, lang=lang, filename=f"{code.lower()}-{CYCLE}.xlsx", completion=completion,
        state_value=STATE_AS_NAME.get(code, code), cycle_value=CYCLE_AS_TEXT.get(code, CYCLE),
        period=f"{CYCLE - 4}-{CYCLE - 1}", institution=institution, email=email,
        date=submitted if rng.random() < 0.8 else submitted.isoformat(),
        template_version="0.9" if code == OLD_TEMPLATE else None,
        objectives=objectives, practices=practices, left_blank=completion == "left_blank",
    )


def improved(rng: random.Random, plan: WorkbookPlan) -> WorkbookPlan:
    """A later version of `plan`: statuses move forward, missing objectives are added, one
    practice more, a later date."""
    better = copy.deepcopy(plan)
    better.filename = f"{plan.code.lower()}-{CYCLE}-v2.xlsx"
    step = {"not_started": "planned", "planned": "in_progress", "in_progress": "implemented"}
    for row in better.objectives.values():
        if row.status in step and rng.random() < 0.6:
            row.status = step[row.status]
            if row.measures and not any(row.measures == text for text in LONG_NARRATIVE.values()):
                row.measures = _measures(rng, plan.lang, row.number, row.status)
    for number in framework().objectives:
        if number not in better.objectives:
            better.objectives[number] = ObjectivePlan(number, "planned", _measures(rng, plan.lang, number, "planned"))
    used = {p.idea.key for p in better.practices}
    extra = [i for i in PRACTICES if i.key not in used]
    if extra:
        better.practices.append(_practice(rng, plan.code, plan.lang, rng.choice(extra), 0.7))
    date = plan.date if isinstance(plan.date, dt.date) else dt.date.fromisoformat(str(plan.date))
    better.date = date + dt.timedelta(days=21)
    better.completion, better.left_blank = "full", False
    return better


# --------------------------------------------------------------------------- filling the template


def _header(ws: Worksheet, sheet_key: str) -> tuple[int, dict[str, int]]:
    ct = contract()
    for row in range(1, ct.header_search_rows + 1):
        columns = {}
        for col in range(1, ws.max_column + 1):
            value = ws.cell(row, col).value
            key = ct.column_key(sheet_key, value) if isinstance(value, str) else None
            if key:
                columns[key] = col
        if "status" in columns:
            return row, columns
    raise RuntimeError(f"no header row in sheet {ws.title}")


def fill_workbook(plan: WorkbookPlan) -> bytes:
    ct = contract()
    fw = framework()
    lang = plan.lang
    wb = load_workbook(io.BytesIO(write_template(plan.code, plan.cycle, lang)))
    names = {key: f.names[lang] for key, f in ct.sheets.items()}

    # Submission: values beside their labels, and the fictional-sample note
    ws = wb[names["submission"]]
    values = {"state": plan.state_value, "cycle": plan.cycle_value, "period": plan.period,
              "institution": plan.institution, "email": plan.email, "date": plan.date}
    if plan.template_version:
        values["template_version"] = plan.template_version
    last = 1
    for row in range(1, ws.max_row + 1):
        key = ct.label_key(ws.cell(row, 1).value) if isinstance(ws.cell(row, 1).value, str) else None
        if key:
            last = row
            if key in values:
                ws.cell(row, 2).value = values[key]
    note_row = last + 2
    ws.cell(note_row, 1, NOTE_LABEL[lang]).font = copy.copy(ws.cell(last, 1).font)
    ws.cell(note_row, 2, NOTE_TEXT[lang]).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note_row].height = 32

    # Objectives: one row per objective of the template; unreported rows deleted or left as they were
    ws = wb[names["objectives"]]
    header, cols = _header(ws, "objectives")
    rows = {}
    for row in range(header + 1, ws.max_row + 1):
        value = ws.cell(row, cols["objective"]).value
        if isinstance(value, str) and " - " in value:
            rows[int(value.split(" - ")[0])] = row
    status_names = {s.key: s.name(lang) for s in fw.statuses}
    for number, row in rows.items():
        item = plan.objectives.get(number)
        if item is None:
            continue
        ws.cell(row, cols["status"]).value = status_names[item.status]
        for key in ("measures", "evidence", "partners", "principles"):
            if getattr(item, key):
                ws.cell(row, cols[key]).value = getattr(item, key)
    if not plan.left_blank:
        for number in sorted((n for n in rows if n not in plan.objectives), key=lambda n: -rows[n]):
            ws.delete_rows(rows[number])

    # Practices
    ws = wb[names["practices"]]
    header, cols = _header(ws, "practices")
    for offset, practice in enumerate(plan.practices, start=1):
        row = header + offset
        record = {"title": practice.title, "description": practice.description, "objectives": practice.objectives,
                  "themes": practice.themes, "status": status_names[practice.status],
                  "start_year": practice.start_year, "partners": practice.partners, "link": practice.link,
                  "principles": practice.principles}
        for key, value in record.items():
            if value not in (None, "") and key in cols:
                ws.cell(row, cols[key]).value = value

    date = plan.date if isinstance(plan.date, dt.date) else dt.date.fromisoformat(str(plan.date))
    when = dt.datetime.combine(date, dt.time(10, 0))
    return workbook_bytes(wb, when, created=template_datetime(plan.cycle))


# --------------------------------------------------------------------------- main


def members() -> list[str]:
    seen: dict[str, None] = {}
    for pid in PROCESSES:
        for code in get_process(pid).members(CYCLE):
            seen.setdefault(code, None)
    return sorted(seen)


def earlier(rng: random.Random, plan: WorkbookPlan) -> WorkbookPlan:
    """The same state's workbook of the previous cycle: statuses one step behind for about half the
    objectives, some objectives not reported yet, fewer practices, dates four years earlier."""
    back = copy.deepcopy(plan)
    back.cycle = PREVIOUS_CYCLE
    back.filename = f"{plan.code.lower()}-{PREVIOUS_CYCLE}.xlsx"
    back.cycle_value = PREVIOUS_CYCLE
    back.period = f"{PREVIOUS_CYCLE - 4}-{PREVIOUS_CYCLE - 1}"
    step = {"implemented": "in_progress", "in_progress": "planned", "planned": "not_started"}
    for number in sorted(back.objectives):
        row = back.objectives[number]
        if row.status == "not_applicable":
            continue
        if rng.random() < 0.15 and len(back.objectives) > 12:
            del back.objectives[number]
            continue
        if row.status in step and rng.random() < 0.5:
            row.status = step[row.status]
            if row.measures and not any(row.measures == text for text in LONG_NARRATIVE.values()):
                row.measures = _measures(rng, plan.lang, number, row.status)
        elif row.status == "not_started" and rng.random() < 0.3:
            row.status = "planned"  # a few objectives went backwards since
    back.practices = [p for p in back.practices if rng.random() < 0.6]
    for practice in back.practices:
        if practice.status in step and rng.random() < 0.5:
            practice.status = step[practice.status]
        if isinstance(practice.start_year, int) and practice.start_year > PREVIOUS_CYCLE - 1:
            practice.start_year = PREVIOUS_CYCLE - 1 - rng.randint(0, 3)
    date = plan.date if isinstance(plan.date, dt.date) else dt.date.fromisoformat(str(plan.date))
    back.date = date.replace(year=date.year - 4)
    back.completion = "partial" if len(back.objectives) < 23 else "full"
    back.left_blank = False
    back.template_version = None
    return back


def build_all() -> list[WorkbookPlan]:
    rng = random.Random(SEED)
    plans = []
    for code in members():
        if code in NOT_SUBMITTING:
            continue
        plan = plan_workbook(rng, code)
        if code == TWO_VERSIONS:
            plan.filename = f"{code.lower()}-{CYCLE}-v1.xlsx"
            plans.extend([plan, improved(rng, plan)])
        else:
            plans.append(plan)
    # the previous cycle, from its own seed, so that the 2026 files never change because of it
    previous = random.Random(PREVIOUS_SEED)
    latest = {p.code: p for p in plans}  # for JAM, v2: the version that counts
    plans.extend(earlier(previous, latest[code]) for code in PREVIOUS_STATES)
    return plans


_GENERATED = re.compile(rf"^[a-z]{{3}}-({CYCLE}|{PREVIOUS_CYCLE})(-v\d+)?\.xlsx$")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "submissions", help="folder to write (default: submissions/)")
    parser.add_argument("--no-check", action="store_true", help="do not validate the written files")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    for old in args.output.glob("*.xlsx"):
        if _GENERATED.match(old.name):
            old.unlink()
    plans = build_all()
    for plan in plans:
        (args.output / plan.filename).write_bytes(fill_workbook(plan))
    print(f"Wrote {len(plans)} workbooks to {args.output} (not submitting: {', '.join(NOT_SUBMITTING)})")
    if args.no_check:
        return 0
    from gcmtrack.intake.validate import validate_bytes

    failed = 0
    for plan in plans:
        result = validate_bytes((args.output / plan.filename).read_bytes(), plan.filename)
        codes: dict[str, int] = {}
        for problem in result.problems:
            codes[problem.code] = codes.get(problem.code, 0) + 1
        summary = ", ".join(f"{c} ×{n}" for c, n in sorted(codes.items())) or "no problem"
        verdict = "ok" if result.valid else "INVALID"
        failed += not result.valid
        print(f"  {plan.filename:<20} {plan.lang} {plan.completion:<10} {len(plan.objectives):>2} obj "
              f"{len(plan.practices)} pr  {verdict}: {summary}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
