"""Fill the Welsh catalogue from a reviewed glossary of the service's most visible text.

Run by `make messages` after extraction. Strings not in the glossary stay untranslated (shown in
English) until a Welsh translator fills them in the .po file; entries already translated there are
never overwritten.
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

GLOSSARY = {
    "Mobilise administration": "Gweinyddu Mobilise",
    "Skip to main content": "Neidio i’r prif gynnwys",
    # Times of day (mobilise/core/dates.py), as GOV.UK's Welsh pages write them.
    "midday": "canol dydd",
    "midnight": "hanner nos",
    "am": "yb",
    "pm": "yh",
    "%(day)s at %(time)s": "%(day)s am %(time)s",
    "%(start)s to %(end)s": "%(start)s i %(end)s",
    "Main menu": "Prif ddewislen",
    "Menu": "Dewislen",
    "Missions": "Cenadaethau",
    "Mission": "Cenhadaeth",
    "Places": "Lleoedd",
    "Place": "Lle",
    "Organisations": "Sefydliadau",
    "Indicators": "Dangosyddion",
    "Conversations": "Sgyrsiau",
    "Budgets": "Cyllidebau",
    "Agree": "Cytuno",
    "Disagree": "Anghytuno",
    "Pass": "Pasio",
    "Delivery confidence": "Hyder cyflawni",
    "Participatory budgeting": "Cyllidebu cyfranogol",
    "Add a statement": "Ychwanegu datganiad",
    "See the results": "Gweld y canlyniadau",
    "Results": "Canlyniadau",
    "Budget rounds": "Rowndiau cyllideb",
    "Do you agree?": "Ydych chi’n cytuno?",
    "Pass or unsure": "Pasio neu ansicr",
    "Opinion groups": "Grwpiau barn",
    "Common ground": "Tir cyffredin",
    "Opinion map": "Map barn",
    "Mission council": "Cyngor cenhadaeth",
    "Meetings": "Cyfarfodydd",
    "Decisions": "Penderfyniadau",
    "Actions": "Camau gweithredu",
    "Overdue": "Yn hwyr",
    "Stocktake packs": "Pecynnau pwyso a mesur",
    "Vote": "Pleidleisio",
    "Delivery": "Cyflawni",
    "Voting": "Pleidleisio",
    "Ideas": "Syniadau",
    "Review": "Adolygu",
    "Conversation": "Sgwrs",
    "Minutes": "Cofnodion",
    "Members": "Aelodau",
    "Agenda": "Agenda",
    "Your account": "Eich cyfrif",
    "Sign in": "Mewngofnodi",
    "Sign out": "Allgofnodi",
    "Create an account": "Creu cyfrif",
    "Create account": "Creu cyfrif",
    "Email address": "Cyfeiriad e-bost",
    "Password": "Cyfrinair",
    "Beta": "Beta",
    "This is a new service. Tell the mission team what you think of it.": "Mae hwn yn wasanaeth newydd. Dywedwch wrth dîm y genhadaeth beth yw eich barn amdano.",
    "Support links": "Dolenni cymorth",
    "Accessibility statement": "Datganiad hygyrchedd",
    "Privacy notice": "Hysbysiad preifatrwydd",
    "Cookies": "Cwcis",
    "Data sources and licences": "Ffynonellau data a thrwyddedau",
    "Mobilise is open-source software. Content is published by the organisations that run each mission.": "Meddalwedd cod agored yw Mobilise. Mae’r cynnwys yn cael ei gyhoeddi gan y sefydliadau sy’n rhedeg pob cenhadaeth.",
    "Missions, coalitions, conversations and budgets for your place.": "Cenadaethau, clymbleidiau, sgyrsiau a chyllidebau ar gyfer eich ardal.",
    "Missions for your place": "Cenadaethau ar gyfer eich ardal",
    "Find missions": "Dod o hyd i genadaethau",
    "National missions": "Cenadaethau cenedlaethol",
    "Browse by place": "Pori yn ôl lle",
    "See every nation, region and local authority": "Gweld pob gwlad, rhanbarth ac awdurdod lleol",
    "Long-term missions that councils, businesses, charities, unions, schools, hospitals and residents deliver together.": "Cenadaethau hirdymor y mae cynghorau, busnesau, elusennau, undebau, ysgolion, ysbytai a thrigolion yn eu cyflawni gyda’i gilydd.",
    "Error": "Gwall",
    "There is a problem": "Mae problem wedi codi",
    "Success": "Llwyddiant",
    "Important": "Pwysig",
    "Day": "Diwrnod",
    "Month": "Mis",
    "Year": "Blwyddyn",
    "Home": "Hafan",
    "Page not found": "Heb ddod o hyd i’r dudalen",
    "If you typed the web address, check it is correct.": "Os gwnaethoch deipio’r cyfeiriad gwe, gwiriwch ei fod yn gywir.",
    "If you pasted the web address, check you copied the entire address.": "Os gwnaethoch ludo’r cyfeiriad gwe, gwiriwch eich bod wedi copïo’r cyfeiriad cyfan.",
    "Browse all missions": "Pori pob cenhadaeth",
    "You cannot do that": "Ni allwch wneud hynny",
    "You do not have permission to do that": "Nid oes gennych ganiatâd i wneud hynny",
    "Search": "Chwilio",
    "Status": "Statws",
    "Scope": "Cwmpas",
    "National": "Cenedlaethol",
    "Local": "Lleol",
    "Draft": "Drafft",
    "Active": "Gweithredol",
    "Paused": "Wedi’i oedi",
    "Achieved": "Wedi’i chyflawni",
    "Closed": "Wedi cau",
    "Outcomes": "Canlyniadau",
    "Outcome": "Canlyniad",
    "Theory of change": "Damcaniaeth newid",
    "Input": "Mewnbwn",
    "Activity": "Gweithgaredd",
    "Output": "Allbwn",
    "Impact": "Effaith",
    "Assumption": "Rhagdybiaeth",
    "Horizon year": "Blwyddyn y gorwel",
    "Target date": "Dyddiad targed",
    "Owned by": "Yn eiddo i",
    "Why it matters": "Pam mae’n bwysig",
    "Apply filters": "Rhoi hidlwyr ar waith",
    "Create a mission": "Creu cenhadaeth",
    "Edit mission": "Golygu’r genhadaeth",
    "Save changes": "Cadw’r newidiadau",
    "Continue": "Parhau",
    "Cancel": "Canslo",
    "Delete": "Dileu",
    "Previous": "Blaenorol",
    "Next": "Nesaf",
    "United Kingdom": "Y Deyrnas Unedig",
    "Nation": "Gwlad",
    "Region": "Rhanbarth",
    "Unitary authority": "Awdurdod unedol",
    "County (upper tier)": "Sir (haen uchaf)",
    "District (lower tier)": "Dosbarth (haen isaf)",
    "ONS code": "Cod SYG",
    "Public body": "Corff cyhoeddus",
    "Business": "Busnes",
    "Charity or VCSE": "Elusen neu sefydliad gwirfoddol",
    "Trade union": "Undeb llafur",
    "Education": "Addysg",
    "Health": "Iechyd",
    "Community group": "Grŵp cymunedol",
    "Platform admin": "Gweinyddwr y platfform",
    "Mission lead": "Arweinydd cenhadaeth",
    "Council member": "Aelod o’r cyngor",
    "Partner": "Partner",
    "Resident": "Preswylydd",
    "English": "Saesneg",
    "Welsh": "Cymraeg",
}


def main(po_path: str) -> None:
    path = Path(po_path)
    with path.open("rb") as f:
        catalog = read_po(f, locale="cy")
    filled = 0
    for message in catalog:
        if message.id and not message.string and isinstance(message.id, str) and message.id in GLOSSARY:
            message.string = GLOSSARY[message.id]
            filled += 1
    with path.open("wb") as f:
        write_po(f, catalog, width=100)
    print(f"Welsh glossary: {filled} strings filled")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "mobilise/locale/cy/LC_MESSAGES/django.po")
