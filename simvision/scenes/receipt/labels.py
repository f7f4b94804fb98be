"""Words printed on receipts, per locale: field labels (Total, Summe, Totale ...) and footer texts.

Every label is a single-spaced string without leading or trailing spaces. Tuples hold variants a layout or the
content sampler picks from with its rng.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Labels:
    """Field labels of one locale."""

    total: tuple[str, ...]
    subtotal: str
    change: str
    cash: str
    card: str
    tip: str
    service: str
    discount: str
    cashier: str
    server: str
    table: str
    guests: str
    qty: str
    item: str
    unit_price: str
    amount: str
    tax: str
    incl: str
    net: str
    gross: str
    rate: str
    item_count: str
    receipt: str
    date: str
    time: str
    tel: str
    vat_id: str
    register: str
    savings: str
    suggested_tip: str
    thanks: tuple[str, ...]
    returns: tuple[str, ...]
    payment: str


_EN = Labels(
    total=("TOTAL", "Total", "AMOUNT DUE", "BALANCE DUE"),
    subtotal="Subtotal",
    change="Change",
    cash="Cash",
    card="Card",
    tip="Tip",
    service="Service charge",
    discount="Discount",
    cashier="Cashier",
    server="Server",
    table="Table",
    guests="Guests",
    qty="Qty",
    item="Item",
    unit_price="Price",
    amount="Amount",
    tax="VAT",
    incl="incl.",
    net="Net",
    gross="Gross",
    rate="Rate",
    item_count="Items sold",
    receipt="Receipt",
    date="Date",
    time="Time",
    tel="Tel",
    vat_id="VAT No",
    register="Till",
    savings="You saved",
    suggested_tip="Suggested gratuity",
    thanks=(
        "Thank you for shopping with us!",
        "Thank you, come again!",
        "Thanks for your visit",
        "Have a nice day!",
    ),
    returns=(
        "Please keep your receipt as proof of purchase",
        "Refunds or exchanges within 30 days with receipt",
        "No refunds on perishable goods",
    ),
    payment="Payment",
)

LABELS: dict[str, Labels] = {
    "en_US": replace(
        _EN,
        tax="Sales Tax",
        vat_id="Store #",
        register="Reg",
        savings="Your savings",
        suggested_tip="Suggested tip",
        item_count="Items",
    ),
    "en_GB": _EN,
    "de_DE": Labels(
        total=("SUMME", "Summe", "GESAMT", "Zu zahlen"),
        subtotal="Zwischensumme",
        change="Rückgeld",
        cash="Bar",
        card="Karte",
        tip="Trinkgeld",
        service="Bedienung",
        discount="Rabatt",
        cashier="Kassierer",
        server="Bedienung",
        table="Tisch",
        guests="Gäste",
        qty="Menge",
        item="Artikel",
        unit_price="Preis",
        amount="Betrag",
        tax="MwSt",
        incl="inkl.",
        net="Netto",
        gross="Brutto",
        rate="Satz",
        item_count="Anzahl Artikel",
        receipt="Bon-Nr.",
        date="Datum",
        time="Uhrzeit",
        tel="Tel.",
        vat_id="USt-IdNr.",
        register="Kasse",
        savings="Sie sparen",
        suggested_tip="Trinkgeld-Vorschlag",
        thanks=("Vielen Dank für Ihren Einkauf!", "Danke für Ihren Besuch", "Auf Wiedersehen!"),
        returns=("Umtausch nur mit Kassenbon", "Bitte Bon aufbewahren", "Rückgabe innerhalb von 14 Tagen"),
        payment="Zahlung",
    ),
    "fr_FR": Labels(
        total=("TOTAL", "Total TTC", "A PAYER", "NET A PAYER"),
        subtotal="Sous-total",
        change="Rendu",
        cash="Espèces",
        card="Carte",
        tip="Pourboire",
        service="Service",
        discount="Remise",
        cashier="Caissier",
        server="Serveur",
        table="Table",
        guests="Couverts",
        qty="Qté",
        item="Article",
        unit_price="P.U.",
        amount="Montant",
        tax="TVA",
        incl="dont",
        net="HT",
        gross="TTC",
        rate="Taux",
        item_count="Nombre d'articles",
        receipt="Ticket",
        date="Date",
        time="Heure",
        tel="Tél.",
        vat_id="N° TVA",
        register="Caisse",
        savings="Vous avez économisé",
        suggested_tip="Pourboire suggéré",
        thanks=("Merci de votre visite", "Merci et à bientôt !", "Bonne journée"),
        returns=("Échange sous 15 jours avec ticket", "Conservez votre ticket"),
        payment="Paiement",
    ),
    "es_ES": Labels(
        total=("TOTAL", "Total", "TOTAL A PAGAR"),
        subtotal="Subtotal",
        change="Cambio",
        cash="Efectivo",
        card="Tarjeta",
        tip="Propina",
        service="Servicio",
        discount="Descuento",
        cashier="Cajero",
        server="Camarero",
        table="Mesa",
        guests="Comensales",
        qty="Cant.",
        item="Artículo",
        unit_price="Precio",
        amount="Importe",
        tax="IVA",
        incl="incl.",
        net="Base",
        gross="Total",
        rate="Tipo",
        item_count="Nº artículos",
        receipt="Ticket nº",
        date="Fecha",
        time="Hora",
        tel="Tel.",
        vat_id="NIF",
        register="Caja",
        savings="Ha ahorrado",
        suggested_tip="Propina sugerida",
        thanks=("Gracias por su visita", "¡Gracias por su compra!", "Vuelva pronto"),
        returns=("Cambios en 15 días con ticket", "Conserve su ticket"),
        payment="Pago",
    ),
    "it_IT": Labels(
        total=("TOTALE", "Totale", "TOTALE EURO", "TOTALE COMPLESSIVO"),
        subtotal="Subtotale",
        change="Resto",
        cash="Contanti",
        card="Carta",
        tip="Mancia",
        service="Servizio",
        discount="Sconto",
        cashier="Cassiere",
        server="Cameriere",
        table="Tavolo",
        guests="Coperti",
        qty="Qtà",
        item="Articolo",
        unit_price="Prezzo",
        amount="Importo",
        tax="IVA",
        incl="di cui",
        net="Imponibile",
        gross="Totale",
        rate="Aliquota",
        item_count="N. articoli",
        receipt="Scontrino n.",
        date="Data",
        time="Ora",
        tel="Tel.",
        vat_id="P.IVA",
        register="Cassa",
        savings="Hai risparmiato",
        suggested_tip="Mancia suggerita",
        thanks=("Grazie e arrivederci", "Grazie per la visita", "Buona giornata!"),
        returns=("Cambio merce entro 8 giorni con scontrino", "Conservare lo scontrino"),
        payment="Pagamento",
    ),
    "nl_NL": Labels(
        total=("TOTAAL", "Totaal", "TE BETALEN"),
        subtotal="Subtotaal",
        change="Wisselgeld",
        cash="Contant",
        card="Pin",
        tip="Fooi",
        service="Service",
        discount="Korting",
        cashier="Kassamedewerker",
        server="Bediening",
        table="Tafel",
        guests="Gasten",
        qty="Aantal",
        item="Artikel",
        unit_price="Prijs",
        amount="Bedrag",
        tax="BTW",
        incl="incl.",
        net="Excl.",
        gross="Incl.",
        rate="Tarief",
        item_count="Aantal artikelen",
        receipt="Bonnr.",
        date="Datum",
        time="Tijd",
        tel="Tel.",
        vat_id="BTW-nr.",
        register="Kassa",
        savings="U bespaart",
        suggested_tip="Fooi suggestie",
        thanks=("Bedankt voor uw bezoek", "Tot ziens!", "Fijne dag!"),
        returns=("Ruilen binnen 14 dagen met kassabon", "Bewaar uw kassabon"),
        payment="Betaling",
    ),
    "pt_BR": Labels(
        total=("TOTAL", "Valor total", "VALOR A PAGAR"),
        subtotal="Subtotal",
        change="Troco",
        cash="Dinheiro",
        card="Cartão",
        tip="Gorjeta",
        service="Taxa de serviço",
        discount="Desconto",
        cashier="Operador",
        server="Garçom",
        table="Mesa",
        guests="Pessoas",
        qty="Qtd",
        item="Descrição",
        unit_price="Vl.Unit",
        amount="Valor",
        tax="ICMS",
        incl="incl.",
        net="Base",
        gross="Total",
        rate="Alíq.",
        item_count="Qtd. total de itens",
        receipt="Cupom nº",
        date="Data",
        time="Hora",
        tel="Tel",
        vat_id="CNPJ",
        register="Caixa",
        savings="Você economizou",
        suggested_tip="Gorjeta sugerida",
        thanks=("Obrigado pela preferência!", "Volte sempre!", "Obrigado e volte sempre"),
        returns=("Trocas somente com cupom fiscal", "Guarde seu cupom"),
        payment="Pagamento",
    ),
}


def labels_for(locale: str) -> Labels:
    """The labels of ``locale``; ``KeyError`` naming the known locales otherwise."""
    try:
        return LABELS[locale]
    except KeyError:
        raise KeyError(f"unknown locale {locale!r}; known: {sorted(LABELS)}") from None
