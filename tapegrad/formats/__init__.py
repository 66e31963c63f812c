"""Byte formats shared by checkpoints, TFRecords, summaries and media files: CRC-32C, the
protocol-buffer wire format, file reading with size checks and atomic writes."""
