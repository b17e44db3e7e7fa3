"""Where submissions enter: safe reading of .xlsx packages, the workbook contract, validation,
annotated feedback and blank templates."""
