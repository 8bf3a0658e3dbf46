"""Shopify's `orders/create`: the order object as compact JSON (money as decimal strings, ids as
numbers), the topic and shop in `X-Shopify-*` headers, signed with `X-Shopify-Hmac-Sha256`."""

from __future__ import annotations

from hookscope.core.templates.template import Template

__all__ = ["TEMPLATE"]

_BODY = (
    '{"id":{{random_int}},"app_id":580111,"browser_ip":"203.0.113.7",'
    '"buyer_accepts_marketing":false,"confirmation_number":"K5RQX3HWE","confirmed":true,'
    '"contact_email":"jon@example.com","created_at":"{{now_iso}}","currency":"EUR",'
    '"current_subtotal_price":"38.00","current_total_price":"42.00",'
    '"current_total_tax":"4.00","email":"jon@example.com","financial_status":"paid",'
    '"fulfillment_status":null,"name":"#1001","order_number":1001,'
    '"presentment_currency":"EUR","processed_at":"{{now_iso}}","subtotal_price":"38.00",'
    '"tags":"","test":true,"total_discounts":"0.00","total_line_items_price":"38.00",'
    '"total_price":"42.00","total_tax":"4.00","total_weight":0,"updated_at":"{{now_iso}}",'
    '"customer":{"id":{{random_int}},"email":"jon@example.com","first_name":"Jon",'
    '"last_name":"Snow","currency":"EUR"},'
    '"line_items":[{"id":{{random_int}},"name":"Hooded sweatshirt - M","price":"38.00",'
    '"product_id":{{random_int}},"quantity":1,"requires_shipping":true,"sku":"HOOD-M",'
    '"taxable":true,"title":"Hooded sweatshirt","variant_id":{{random_int}},'
    '"variant_title":"M","vendor":"hookscope demo"}],'
    '"shipping_address":{"first_name":"Jon","last_name":"Snow","address1":"1 Rue de Rivoli",'
    '"city":"Paris","zip":"75001","country":"France","country_code":"FR"},'
    '"shipping_lines":[{"id":{{random_int}},"code":"Standard","price":"0.00",'
    '"title":"Standard"}]}'
)

TEMPLATE = Template(
    name="shopify-orders-create",
    title="Shopify orders/create",
    description="A paid test order of one sweatshirt (42.00 EUR) from a demo shop.",
    method="POST",
    path="/hooks/shopify",
    headers=(
        ("Content-Type", "application/json"),
        ("User-Agent", "Shopify-Captain-Hook"),
        ("X-Shopify-API-Version", "2024-07"),
        ("X-Shopify-Event-Id", "{{uuid}}"),
        ("X-Shopify-Shop-Domain", "hookscope-demo.myshopify.com"),
        ("X-Shopify-Topic", "orders/create"),
        ("X-Shopify-Triggered-At", "{{now_iso}}"),
        ("X-Shopify-Webhook-Id", "{{uuid}}"),
    ),
    body=_BODY,
    scheme="shopify",
)
