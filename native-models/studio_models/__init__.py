"""Model definitions, tokenizer and ONNX exporter for the studio's bundled diffusion pipelines."""
