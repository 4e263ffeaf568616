"""An invented account list, unlike the sample world, to prove the engine generalises."""

from __future__ import annotations

from datetime import date

from questions.accounts import AccountIndex
from questions.query import AccountRef

AS_OF = date(2027, 2, 15)  # a Monday

_ROWS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("Northwind Traders", "northwind.com", ("Northwind",)),
    ("Zorblax Robotics", "zorblax.io", ()),
    ("Pemberton & Sons Ltd", "pembertonsons.co.uk", ()),
    ("Quasar Dynamics", "quasardynamics.com", ()),
    ("Lighthouse Dental Group", "lighthousedental.com", ()),
    ("Orchard Hill Bakery", "orchardhillbakery.com", ()),
    ("Orchard Hill Vineyards", "orchardhillwine.com", ()),
    ("Tidewater Labs", "tidewaterlabs.com", ("Tidewater",)),
    ("Tidewater Logistics", "tidewaterlogistics.com", ()),
    ("Crédit Rivière", "creditriviere.fr", ()),
    ("Müller Werkzeug GmbH", "mueller-werkzeug.de", ()),
    ("Bluebird Analytics", "bluebird.ai", ()),
    ("Harper Lane Studio", "harperlane.studio", ()),
    ("Saffron Kitchen", "saffronkitchen.com", ()),
    ("Copperleaf Systems", "copperleaf.io", ("Copperleaf", "CLS")),
    ("Granola Gear Co", "granolagear.com", ()),
    ("The Revenue Collective", "revenuecollective.org", ()),
    ("Apex", "apex-hq.com", ()),
    ("Marigold Veterinary", "marigoldvet.com", ()),
    ("Obsidian Security Inc.", "obsidiansec.com", ()),
    ("Wavecrest Surf School", "wavecrest.surf", ()),
    ("Kingfisher Architects", "kingfisher-arch.com", ()),
    ("Dr. Patel's Clinic", "patelclinic.com", ()),
    ("O'Brien Consulting", "obrienconsulting.ie", ()),
    ("Fjord & Fell", "fjordandfell.no", ()),
]


def invented_accounts() -> tuple[AccountRef, ...]:
    return tuple(
        AccountRef(id=f"inv-{i:02d}", name=name, domain=domain, aliases=aliases)
        for i, (name, domain, aliases) in enumerate(_ROWS)
    )


def invented_index() -> AccountIndex:
    return AccountIndex(invented_accounts())
