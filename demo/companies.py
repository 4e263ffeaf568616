"""The demo agency's 40 client companies, their Stripe customers and stories.

Each story is chosen to show one thing revbot can answer (see SCENARIOS);
the rest are ordinary steady retainers so the figures look like a real book.
"""

from __future__ import annotations

import re
import unicodedata

from demo.specs import ChangeSpec, Company, CustomerSpec, SubSpec

OWNERS = ("Aisha Bello", "Marcus Chen", "Elena Garcia", "Priya Nair")

# (name, domain, aliases)
_COMPANY_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Acme Robotics", "acmerobotics.com", ()),
    ("Globex Corporation", "globex.com", ("Globex",)),
    ("Initech", "initech.com", ()),
    ("Bloom Bakery", "bloombakery.co", ()),
    ("Riverside Dental", "riversidedental.com", ()),
    ("Peak Fitness Studio", "peakfitnessstudio.com", ("Peak Fitness",)),
    ("Summit Outdoor Co", "summitoutdoor.com", ("Summit Outdoor",)),
    ("Brightline Health", "brightlinehealth.com", ()),
    ("Copperleaf Media", "copperleafmedia.com", ()),
    ("Harborview Realty", "harborviewrealty.com", ()),
    ("Vertex Analytics", "vertexanalytics.io", ()),
    ("Lumos Labs", "lumoslabs.io", ()),
    ("Oakridge Partners", "oakridgepartners.com", ()),
    ("Stellar Logistics", "stellarlogistics.com", ()),
    ("Nimbus Payroll", "nimbuspayroll.com", ()),
    ("Pinecrest Software", "pinecrestsoftware.com", ()),
    ("Redwood Legal", "redwoodlegal.com", ()),
    ("Sandpiper Travel", "sandpipertravel.com", ()),
    ("Foxglove Interiors", "foxgloveinteriors.co.uk", ()),
    ("Quantum Freight", "quantumfreight.com", ()),
    ("Marlow & Finch", "marlowandfinch.co.uk", ("Marlow and Finch",)),
    ("Tidewater Brewing", "tidewaterbrewing.com", ()),
    ("Ironclad Security", "ironcladsecurity.com", ()),
    ("Meridian Architekten", "meridian-architekten.de", ("Meridian",)),
    ("Blue Fern Cafe", "bluefern.cafe", ("Blue Fern Café",)),
    ("Kestrel Events", "kestrelevents.com", ()),
    ("Cobalt Fitness", "cobaltfitness.com", ()),
    ("Evergreen Capital", "evergreencapital.com", ()),
    ("Atlas Manufacturing", "atlasmfg.com", ("Atlas Mfg",)),
    ("Wavelength Audio", "wavelengthaudio.com", ()),
    ("Greenway Properties", "greenwayproperties.com", ()),
    ("Studio Nordlicht", "studio-nordlicht.de", ()),
    ("Maison Lumière", "maison-lumiere.fr", ("Maison Lumiere",)),
    ("Van Dijk Logistiek", "vandijklogistiek.nl", ()),
    ("Thistle & Thorn", "thistleandthorn.co.uk", ()),
    ("Granite Peak Consulting", "granitepeak.com", ()),
    ("Helios Solar", "heliossolar.com", ()),
    ("Juniper Health Partners", "juniperhealth.com", ("Juniper Health",)),
    ("Polaris Fintech", "polarisfintech.com", ()),
    ("Silverline Auto", "silverlineauto.com", ()),
)

COMPANIES: tuple[Company, ...] = tuple(
    Company(
        name=name,
        domain=domain,
        external_id=f"CL-{1001 + index}",
        aliases=aliases,
        owner=OWNERS[index % len(OWNERS)],
    )
    for index, (name, domain, aliases) in enumerate(_COMPANY_ROWS)
)

_COUNTRY = {"usd": "US", "eur": "DE", "gbp": "GB"}
_COUNTRY_BY_TLD = {".fr": "FR", ".nl": "NL", ".de": "DE", ".co.uk": "GB"}


def _customer(
    key: str,
    company: str,
    domain: str,
    currency: str = "usd",
    *,
    name: str | None = None,
    email: str | None = None,
    metadata: dict[str, str] | None = None,
) -> CustomerSpec:
    country = next(
        (c for tld, c in _COUNTRY_BY_TLD.items() if domain.endswith(tld)), _COUNTRY[currency]
    )
    return CustomerSpec(
        key=key,
        name=name or company,
        email=email or f"billing@{domain}",
        currency=currency,
        country=country,
        company=company,
        metadata=metadata or {},
    )


def _plain_customers() -> list[CustomerSpec]:
    """One customer per company, billed from the company's own domain."""
    special = {
        "Globex Corporation",
        "Initech",
        "Bloom Bakery",
        "Riverside Dental",
        "Peak Fitness Studio",
    }
    currency = {
        "Foxglove Interiors": "gbp",
        "Marlow & Finch": "gbp",
        "Thistle & Thorn": "gbp",
        "Meridian Architekten": "eur",
        "Studio Nordlicht": "eur",
        "Maison Lumière": "eur",
        "Van Dijk Logistiek": "eur",
    }
    return [
        _customer(_slug(c.name), c.name, c.domain, currency.get(c.name, "usd"))
        for c in COMPANIES
        if c.name not in special
    ]


def _slug(name: str) -> str:
    """A customer key from a company name ("Maison Lumière" -> "maison_lumiere")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


CUSTOMERS: tuple[CustomerSpec, ...] = (
    *_plain_customers(),
    # One company, two Stripe customers (USD head office, EUR subsidiary).
    _customer("globex", "Globex Corporation", "globex.com"),
    _customer(
        "globex_emea",
        "Globex Corporation",
        "globex.com",
        "eur",
        name="Globex EMEA GmbH",
        email="emea.billing@globex.com",
    ),
    # Matched only by metadata client_id (name and email domain do not match).
    _customer(
        "initech",
        "Initech",
        "initech.com",
        name="Initech LLC - Accounts Payable",
        email="ap@initech-payables.com",
        metadata={"client_id": "CL-1003"},
    ),
    # Personal (gmail.com) billing contacts: matched by name or alias.
    _customer(
        "bloom_bakery", "Bloom Bakery", "bloombakery.co", email="bloombakery.orders@gmail.com"
    ),
    _customer(
        "riverside_dental",
        "Riverside Dental",
        "riversidedental.com",
        email="riversidedental.office@gmail.com",
    ),
    _customer(
        "peak_fitness",
        "Peak Fitness Studio",
        "peakfitnessstudio.com",
        name="Peak Fitness",
        email="peakfitness.billing@gmail.com",
    ),
    # A freelancer on no client list: stays unmatched.
    CustomerSpec(
        key="jordan_blake",
        name="Jordan Blake",
        email="jordan@blakeconsulting.net",
        currency="usd",
        country="US",
        company=None,
    ),
)


def _steady(key: str, price: str, months: int, days: int, qty: int = 1) -> SubSpec:
    return SubSpec(key=key, customer=key, items=((price, qty),), start=(months, days))


SUBSCRIPTIONS: tuple[SubSpec, ...] = (
    _steady("acme_robotics", "growth_usd", 17, 3),
    _steady("globex", "growth_usd", 20, 9),
    _steady("globex_emea", "starter_eur", 7, 2),
    _steady("initech", "scale_usd", 15, 20),
    _steady("bloom_bakery", "starter_usd", 10, 4),
    SubSpec(
        "riverside_dental",
        "riverside_dental",
        (("starter_usd", 1), ("hosting_usd", 1)),
        (8, 17),
    ),
    _steady("peak_fitness", "starter_usd", 5, 6),
    _steady("summit_outdoor_co", "seo_graduated", 13, 11, qty=35),
    SubSpec(
        "brightline_health",
        "brightline_health",
        (("seats_usd", 10),),
        (11, 13),
        changes=(ChangeSpec(75, quantity=18, proration="always_invoice"),),
    ),
    SubSpec(
        "copperleaf_media",
        "copperleaf_media",
        (("seats_usd", 25),),
        (16, 22),
        changes=(ChangeSpec(50, quantity=15),),
    ),
    SubSpec(
        "harborview_realty",
        "harborview_realty",
        (("growth_usd", 1),),
        (14, 8),
        changes=(ChangeSpec(100, price="starter_usd", proration="none"),),
    ),
    SubSpec(
        "vertex_analytics",
        "vertex_analytics",
        (("starter_usd", 1),),
        (16, 5),
        changes=(ChangeSpec(270, price="growth_usd"),),
    ),
    SubSpec(
        "lumos_labs",
        "lumos_labs",
        (("growth_usd", 1),),
        (12, 25),
        coupon="LOYAL20",
        coupon_days_ago=200,
    ),
    SubSpec(
        "oakridge_partners",
        "oakridge_partners",
        (("growth_usd", 1),),
        (8, 1),
        coupon="LOYAL20",
        coupon_days_ago=35,
    ),
    SubSpec(
        "stellar_logistics", "stellar_logistics", (("scale_usd", 1),), (11, 15), coupon="SAVE250"
    ),
    SubSpec("nimbus_payroll", "nimbus_payroll", (("growth_usd", 1),), (0, 12), trial_days=14),
    SubSpec(
        "pinecrest_software", "pinecrest_software", (("starter_usd", 1),), (0, 50), trial_days=14
    ),
    SubSpec(
        "redwood_legal",
        "redwood_legal",
        (("growth_usd", 1),),
        (10, 2),
        cancel_days_ago=40,
        cancel_feedback="switched_service",
    ),
    SubSpec(
        "sandpiper_travel",
        "sandpiper_travel",
        (("starter_usd", 1),),
        (7, 19),
        cancel_request_days_ago=45,
        cancel_feedback="too_expensive",
    ),
    SubSpec(
        "foxglove_interiors",
        "foxglove_interiors",
        (("growth_gbp", 1),),
        (6, 24),
        cancel_request_days_ago=8,
        cancel_feedback="unused",
    ),
    SubSpec(
        "quantum_freight",
        "quantum_freight",
        (("growth_usd", 1),),
        (13, 6),
        outcomes={-2: "failed:4", -1: "failed:3"},
    ),
    SubSpec(
        "marlow_finch", "marlow_finch", (("growth_gbp", 1),), (9, 2), outcomes={-1: "failed:1"}
    ),
    SubSpec(
        "tidewater_brewing",
        "tidewater_brewing",
        (("starter_usd", 1),),
        (6, 12),
        outcomes={-1: "recovered:2"},
    ),
    SubSpec(
        "ironclad_security",
        "ironclad_security",
        (("growth_usd", 1),),
        (9, 20),
        days_until_due=30,
        outcomes={-2: "overdue"},
    ),
    SubSpec(
        "meridian_architekten",
        "meridian_architekten",
        (("growth_eur", 1),),
        (4, 19),
        days_until_due=14,
        outcomes={-1: "partial"},
    ),
    SubSpec(
        "blue_fern_cafe",
        "blue_fern_cafe",
        (("starter_usd", 1),),
        (10, 15),
        days_until_due=14,
        cancel_days_ago=52,
        cancel_reason="payment_failed",
        outcomes={-1: "uncollectible:25"},
    ),
    SubSpec(
        "kestrel_events",
        "kestrel_events",
        (("growth_usd", 1),),
        (9, 7),
        pause_days_ago=20,
        resume_in_days=40,
    ),
    SubSpec(
        "cobalt_fitness_1",
        "cobalt_fitness",
        (("starter_usd", 1),),
        (14, 3),
        cancel_days_ago=210,
        cancel_feedback="too_expensive",
    ),
    SubSpec("cobalt_fitness_2", "cobalt_fitness", (("growth_usd", 1),), (3, 9)),
    _steady("evergreen_capital", "growth_usd_yearly", 11, 20),
    _steady("atlas_manufacturing", "scale_usd_quarterly", 16, 5),
    _steady("wavelength_audio", "starter_usd", 0, 10),
    SubSpec(
        "greenway_properties",
        "greenway_properties",
        (("growth_usd", 1), ("hosting_usd", 1)),
        (12, 18),
    ),
    _steady("studio_nordlicht", "starter_eur", 9, 14),
    _steady("maison_lumiere", "growth_eur", 13, 27),
    SubSpec(
        "van_dijk_logistiek",
        "van_dijk_logistiek",
        (("starter_eur", 1),),
        (5, 3),
        days_until_due=14,
    ),
    SubSpec(
        "thistle_thorn",
        "thistle_thorn",
        (("growth_gbp", 1), ("hosting_gbp", 1)),
        (15, 11),
    ),
    _steady("granite_peak_consulting", "starter_usd", 6, 26),
    SubSpec(
        "helios_solar",
        "helios_solar",
        (("growth_usd", 1), ("analytics_usd", 2)),
        (10, 9),
    ),
    _steady("juniper_health_partners", "growth_usd", 18, 16),
    _steady("polaris_fintech", "scale_usd", 8, 28),
    _steady("silverline_auto", "starter_usd", 6, 1),
    _steady("jordan_blake", "hosting_usd", 3, 14),
)
