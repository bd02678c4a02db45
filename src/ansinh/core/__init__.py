"""The domain: money, dated law, people, products, pricing — no I/O, no plugins."""
