"""Parameter domains shared by the rheumatoid arthritis instruments."""

from __future__ import annotations

import math
from typing import Final

from clinscores._core import Domain

#: Tender or swollen joint count of the 28-joint assessment.
JOINTS28: Final = Domain(0, 28, "integer joint count", integer=True)
#: Westergren erythrocyte sedimentation rate, >= 1 mm/h: DAS28 uses ln(ESR),
#: undefined at 0, and the method reads whole millimetres, so a charted 0 is
#: recorded as 1 (ln 1 = 0).  This keeps every DAS28 >= 0.
ESR_MM_H: Final = Domain(1, math.inf, "mm/h; ln(ESR) is undefined at 0: record a charted 0 as 1")
#: C-reactive protein in mg/L.
CRP_MG_L: Final = Domain(0, math.inf, "CRP in mg/L")
#: C-reactive protein in mg/dL.
CRP_MG_DL: Final = Domain(0, math.inf, "CRP in mg/dL")
#: Global assessment on a 100 mm visual analogue scale.
VAS_MM: Final = Domain(0, 100, "mm on a 100 mm visual analogue scale")
#: Global assessment on a 10 cm visual analogue scale.
VAS_CM: Final = Domain(0, 10, "cm on a 10 cm visual analogue scale")
