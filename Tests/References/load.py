"""Shared loader for the reference scripts: argv = points.f32 rows columns [script arguments]."""
import sys

import numpy as np


def points():
    path, rows, columns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    return np.fromfile(path, dtype="<f4").reshape(rows, columns), sys.argv[4:]
