from django.test import RequestFactory

from mobilise.core.sections import SectionRegistry


def test_sections_render_in_order_and_skip_empty_ones():
    registry = SectionRegistry("test")
    registry.register("b", lambda request, obj: f"<p>b {obj}</p>", order=20)
    registry.register("a", lambda request, obj: "<p>a</p>", order=10)
    registry.register("empty", lambda request, obj: None)
    registry.register(
        "b", lambda request, obj: f"<p>B {obj}</p>", order=20
    )  # re-registering replaces
    assert registry.render(RequestFactory().get("/"), 1) == ["<p>a</p>", "<p>B 1</p>"]
