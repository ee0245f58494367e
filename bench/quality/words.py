"""A fixed vocabulary for generated text: common English words of every length, so the set
tests word separation (short words between long ones) rather than a dictionary's rare words."""

from __future__ import annotations

from typing import Final

__all__ = ["WORDS"]

_VOCABULARY: Final = """
    a about above across after again against air all almost along also always among and
    animal another answer any apple area around art ask at away back bag ball bank bed
    before began begin behind below best better between big bird black blue boat body book
    both box boy bread bridge bring brother brown build built bus but buy by call came can
    car card care carry cat center change check child city class clean clear close cloud
    coast coffee cold color come common corner could country course cover cross cup cut dark
    day deep desk did different dinner do doctor does dog done door down draw dream drink
    drive dry during each early earth east easy eat edge egg end enough even evening ever
    every face fact fall family far farm fast father field fill find fine fire first fish
    five floor flower fly follow food foot for forest form four free fresh friend from front
    fruit full game garden gate get girl give glass go gold good great green ground group
    grow had half hand happy hard has have he head hear heart heavy help her here high hill
    him his hold home horse hot hour house how idea if in inside island it its just keep
    kind king kitchen knew know lake land large last late learn leave left less letter light
    like line list listen little live long look low made main make man many map market may
    me mean men middle might mile milk mind minute miss money month moon more morning most
    mother mountain move much music must my name near need never new next night no north not
    note now number ocean of off office often old on once one only open or orange order
    other our out over page paper park parking part party pass past people pick picture
    piece place plain plan plant play please point poor post power press print problem pull
    put question quick quiet rain reach read ready real red remember rest return rich right
    river road rock room round row rule run safe said same saw say school sea second see
    seed sell send sentence set several shape she ship shop short should show side sign
    silver simple since sing sister sit six size sky sleep slow small snow so soft some song
    soon sound south space speak special spring square stand star start station stay step
    still stone stop story street strong study such summer sun table take talk tall teacher
    tell ten than that the their them then there these they thing think third this those
    though three through thunder time to today together told too took top toward town train
    travel tree true try turn two under until up upon us use valley very visit voice wait
    walk wall want warm was watch water way we weather week well went west what wheel when
    where which while white who whole why wide wild will wind window winter with without
    woman wood word work world would write year yellow yes yet you young
"""

WORDS: Final[tuple[str, ...]] = tuple(_VOCABULARY.split())
