import factory

from mobilise.places.models import Place


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E0{9000000 + n}"[:9])
    name = factory.Sequence(lambda n: f"Borough {n}")
    kind = Place.Kind.UNITARY
