"""Which query parameters each endpoint accepts, read from stripe-python's params classes.

The server rejects anything these TypedDicts do not declare, so a client that
passes the server's checks sends only parameters the real API knows.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from stripe._request_options import RequestOptions

# Endpoint kind -> (module, class) in stripe.params.
_PARAM_CLASSES: dict[str, tuple[str, str]] = {
    "account": ("_account_retrieve_current_params", "AccountRetrieveCurrentParams"),
    "products": ("_product_list_params", "ProductListParams"),
    "prices": ("_price_list_params", "PriceListParams"),
    "coupons": ("_coupon_list_params", "CouponListParams"),
    "customers": ("_customer_list_params", "CustomerListParams"),
    "subscriptions": ("_subscription_list_params", "SubscriptionListParams"),
    "invoices": ("_invoice_list_params", "InvoiceListParams"),
    "events": ("_event_list_params", "EventListParams"),
    "invoice_lines": ("_invoice_list_lines_params", "InvoiceListLinesParams"),
    "subscription_items": ("_subscription_item_list_params", "SubscriptionItemListParams"),
    "product": ("_product_retrieve_params", "ProductRetrieveParams"),
    "price": ("_price_retrieve_params", "PriceRetrieveParams"),
    "coupon": ("_coupon_retrieve_params", "CouponRetrieveParams"),
    "customer": ("_customer_retrieve_params", "CustomerRetrieveParams"),
    "subscription": ("_subscription_retrieve_params", "SubscriptionRetrieveParams"),
    "invoice": ("_invoice_retrieve_params", "InvoiceRetrieveParams"),
}

_OPTION_KEYS = RequestOptions.__required_keys__ | RequestOptions.__optional_keys__


@cache
def declared_params(kind: str) -> frozenset[str]:
    """Top-level parameter names stripe-python declares for this endpoint."""
    module_name, class_name = _PARAM_CLASSES[kind]
    cls = getattr(import_module(f"stripe.params.{module_name}"), class_name)
    keys = set(cls.__required_keys__ | cls.__optional_keys__) - set(_OPTION_KEYS)
    return frozenset(keys)


@cache
def required_params(kind: str) -> frozenset[str]:
    module_name, class_name = _PARAM_CLASSES[kind]
    cls = getattr(import_module(f"stripe.params.{module_name}"), class_name)
    return frozenset(set(cls.__required_keys__) - set(_OPTION_KEYS))
