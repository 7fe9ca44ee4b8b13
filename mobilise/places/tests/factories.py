import factory

from mobilise.places.models import Place


def square_boundary(lon: float, lat: float, size: float = 0.1) -> dict:
    """A square GeoJSON Polygon with its south-west corner at (lon, lat): enough for maps in tests."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def square_bbox(lon: float, lat: float, size: float = 0.1) -> list[float]:
    return [lon, lat, lon + size, lat + size]


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E0{9000000 + n}"[:9])
    name = factory.Sequence(lambda n: f"Borough {n}")
    kind = Place.Kind.UNITARY
