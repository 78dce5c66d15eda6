<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../core/bands.py" line="83"/>
        <source>Unknown modality {0!r}; choose one of {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="113"/>
        <source>{0} input &apos;{1}&apos;: {2} bands were mapped; {3} needs {4} ({5}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="120"/>
        <source>{0} input &apos;{1}&apos; has {2} bands; band number(s) {3} do not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/checkpoints.py" line="123"/>
        <source>Unknown checkpoint {0!r}; known: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="223"/>
        <source>Cannot read the job spec {0}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="229"/>
        <source>The job spec {0} is not a valid TerraMind job: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="44"/>
        <source>Unknown device {0!r}; use auto, cpu, cuda, cuda:N or mps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="52"/>
        <source>Device &apos;mps&apos; was chosen but Apple Metal is not available; choose cpu or auto.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="56"/>
        <source>Unsupported device {0!r}; use auto, cpu, cuda, cuda:N or mps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="65"/>
        <source>Device &apos;cuda&apos; was chosen but this PyTorch has no usable CUDA GPU; choose cpu or auto.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="69"/>
        <source>Device {0!r} does not exist: this machine has {1} GPU(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="150"/>
        <source>Unknown precision {0!r}; use auto, float32, bfloat16 or float16.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="154"/>
        <source>Precision float16 needs a GPU; choose float32 or bfloat16 on the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="281"/>
        <source>Batch size must be at least 1, got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/grid.py" line="109"/>
        <source>The CRS of {0} ({1!r}) is not valid: {2}. Use &apos;EPSG:&lt;code&gt;&apos; or WKT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/grid.py" line="132"/>
        <source>The area of interest {0} is empty: give (xmin, ymin, xmax, ymax) with min &lt; max.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/grid.py" line="139"/>
        <source>The area of interest does not overlap &apos;{0}&apos;. Choose an area inside the layer&apos;s extent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/grid.py" line="149"/>
        <source>The area of interest covers no whole pixel of &apos;{0}&apos;. Choose a larger area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="220"/>
        <source>A job spec must be a JSON object, got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="224"/>
        <source>Unknown job spec field(s) {0}; valid fields: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="234"/>
        <source>Job spec &apos;task&apos; must be one of {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="246"/>
        <source>Job spec field &apos;area.bounds&apos; must be [xmin, ymin, xmax, ymax].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="273"/>
        <source>Job spec field &apos;{0}&apos; must be {1}, got {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="282"/>
        <source>Job spec field &apos;{0}&apos; must be a list, got {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="292"/>
        <source>Unknown field(s) {0} in job spec &apos;inputs[{1}]&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="364"/>
        <source>The job has no input raster; add at least one optical (Sentinel-2 or RGB) layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="371"/>
        <source>Choose the modality to generate: one of {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="437"/>
        <source>Output kind(s) {0} do not belong to task {1!r}; use {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="443"/>
        <source>Choose an output file for at least one of {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="445"/>
        <source>Choose an output file for the {0} result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="452"/>
        <source>Output {0!r} must be a GeoTIFF file name ending in .tif.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/outputs.py" line="207"/>
        <source>PCA map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/pipeline.py" line="116"/>
        <source>Input &apos;{0}&apos;: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/pipeline.py" line="206"/>
        <source>Loading the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/pipeline.py" line="315"/>
        <source>Input &apos;{0}&apos; has no valid pixel in the area of interest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/predictor.py" line="193"/>
        <source>Downloading weights: {0:.0f} / {1:.0f} MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/catalog.py" line="40"/>
        <source>Water</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Trees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Flooded vegetation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Crops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Built area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Bare ground</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Snow/ice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Clouds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="131"/>
        <source>Rangeland</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Land cover (generated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Patch embeddings, PCA colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Sentinel-1 GRD (generated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Sentinel-1 RTC (generated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Sentinel-2 L2A (generated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>DEM (generated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>NDVI (generated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Patch embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Embedding similarity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Embedding clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Embedding classification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Classification confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Embedding change (cosine distance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Embedding change: why no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="323"/>
        <source>Generate land cover (LULC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="323"/>
        <source>Generate Sentinel-1 GRD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="323"/>
        <source>Generate another modality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="323"/>
        <source>Patch embeddings with PCA map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-2 L2A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-2 L2A (12 bands)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-2 L1C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-2 L1C (13 bands)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-1 GRD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-1 GRD (VV, VH in dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-1 RTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>Sentinel-1 RTC (VV, VH in dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>DEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>DEM (metres)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>RGB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>RGB (red, green, blue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="51"/>
        <source>Input &apos;{0}&apos;: file {1!r} does not exist. Check the path or re-add the layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="69"/>
        <source>Input &apos;{0}&apos;: {1!r} is not a raster GDAL can read ({2}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="82"/>
        <source>Input &apos;{0}&apos; has no coordinate reference system; assign one (e.g. in QGIS) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="88"/>
        <source>Input &apos;{0}&apos; is rotated or has no georeferencing; warp it to a map CRS first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="131"/>
        <source>Input &apos;{0}&apos; cannot be read: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="158"/>
        <source>Input &apos;{0}&apos;: reading failed ({1}). Is the file damaged?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="276"/>
        <source>Cannot create output {0!r}: {1}. Choose a writable folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="323"/>
        <source>Writing {0!r} failed: {1}. Is the disk full?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="338"/>
        <source>Output {0!r} is incomplete (rows 0-{1} of {2} written in columns {3}-{4} of {5}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="310"/>
        <source>Output folder {0!r} does not exist; create it or choose another output path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="391"/>
        <source>Output folder {0!r} is not writable; choose another output path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="395"/>
        <source>Output path {0!r} is a folder; give a file name ending in .tif.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="98"/>
        <source>Output {0!r} is the input file {1!r}; choose another output file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="280"/>
        <source>Cannot write the run journal {0!r}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="182"/>
        <source>Cannot read the run journal {0!r}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/seams.py" line="36"/>
        <source>Cannot create a temporary file in {0!r}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="243"/>
        <source>Cannot replace {0!r}: {1}. Is it open in another program?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="255"/>
        <source>Cannot write {0!r}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/seams.py" line="48"/>
        <source>Writing a temporary file failed: {0}. Is the disk full?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="119"/>
        <source>Checkpoint file {0} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/checkpoint.py" line="130"/>
        <source>Checkpoint {0} holds a {1}, not a state_dict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/checkpoint.py" line="142"/>
        <source>Checkpoint {0}: {1} entries of its state_dict are not tensors (e.g. {2}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/checkpoint.py" line="148"/>
        <source>Checkpoint {0} holds no model weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="50"/>
        <source>{0}: data {1} must be given per modality ({{S2L2A: [...], ...}}), got {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="58"/>
        <source>{0}: data {1} of {2} must be a list of numbers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="72"/>
        <source>{0} has no model.init_args.model_args block; is it a TerraTorch config?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="77"/>
        <source>{0} is a {1} config; only SemanticSegmentationTask fine-tunes are supported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="83"/>
        <source>{0}: model_factory {1!r} is not supported (EncoderDecoderFactory).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="111"/>
        <source>Config file {0} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="115"/>
        <source>Reading TerraTorch configs needs PyYAML; install it (pip install PyYAML).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/config.py" line="121"/>
        <source>{0} is not a readable YAML file: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/decoders.py" line="87"/>
        <source>decoder_channels {0} needs one entry per feature map ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/decoders.py" line="93"/>
        <source>decoder_use_batchnorm={0!r} is not supported (True or False).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/decoders.py" line="97"/>
        <source>decoder_attention_type={0!r} is not supported (only None).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/decoders.py" line="141"/>
        <source>decoder_scale_modules=True is not supported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/decoders.py" line="195"/>
        <source>decoder_num_convs={0} must be at least 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="129"/>
        <source>Missing input(s) {0}; this model needs {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="138"/>
        <source>{0} input must be {1}, got {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="164"/>
        <source>backbone={0!r} is not supported; fine-tunes of terramind_v1_tiny/small/base/large are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="185"/>
        <source>Model option(s) {0} are not supported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="192"/>
        <source>{0} option(s) {1} are not supported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="205"/>
        <source>backbone_merge_method={0!r} is not supported for segmentation; use one of {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="225"/>
        <source>{0} need backbone_use_temporal: true.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="260"/>
        <source>decoder={0!r} is not supported; supported decoders: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="266"/>
        <source>{0} does not take option(s) {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="271"/>
        <source>num_classes must be a positive integer for segmentation, got {0!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/necks.py" line="38"/>
        <source>SelectIndices indices {0} do not fit the backbone&apos;s {1} layers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/necks.py" line="73"/>
        <source>ReshapeTokensToImage: {0} tokens do not form {1} square grid(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/necks.py" line="153"/>
        <source>Neck {0!r} is not supported; supported necks: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/necks.py" line="159"/>
        <source>Neck {0} does not take the option(s) {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/standardize.py" line="33"/>
        <source>{0} channels but {1} means and {2} stds; give one mean and std per band.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/standardize.py" line="39"/>
        <source>Standard deviations must be positive, got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="50"/>
        <source>backbone_temporal_pooling={0!r} is not supported; use one of {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="58"/>
        <source>backbone_temporal_subset_lengths={0} must be positive counts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="76"/>
        <source>backbone_temporal_pooling=&apos;concat&apos; needs backbone_temporal_n_timestamps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="105"/>
        <source>Temporal pooling &apos;diff&apos; needs two dates (or two subsets), got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="117"/>
        <source>This model is built for {0} dates; the inputs have {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="132"/>
        <source>Temporal model inputs must be (B, C, T, H, W); got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="135"/>
        <source>All inputs need the same number of dates; got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/embeddings.py" line="146"/>
        <source>Unknown band(s) {0}; valid bands in pretrained order: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/embeddings.py" line="171"/>
        <source>A flat token sequence must have a square length; got {0} tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="65"/>
        <source>Unknown merge_method {0!r}; valid: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="73"/>
        <source>At least one input modality is needed, e.g. modalities=[&apos;S2L2A&apos;].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="83"/>
        <source>Modality {0!r} is configured twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="121"/>
        <source>Modality {0!r} has no named bands to select from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="141"/>
        <source>Input {0!r} is not a configured modality of this model; configured: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="167"/>
        <source>{0} input must be a (B, C, H, W) tensor, got {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="171"/>
        <source>{0} input has {1} channels; this model expects {2}{3}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="178"/>
        <source>{0} input is {1}x{2} pixels; height and width must be positive multiples of {3}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="185"/>
        <source>{0} input contains NaN or infinite values; fill or mask nodata first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tim.py" line="107"/>
        <source>No input given; configured modalities: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tim.py" line="114"/>
        <source>Modality {0!r} is given twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="209"/>
        <source>{0} input must be integer token ids, got {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="271"/>
        <source>merge_method={0!r} needs at least one image input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="309"/>
        <source>Unknown dtype {0!r}; valid: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="96"/>
        <source>Generation needs at least one input and one output modality, e.g. S2L2A -&gt; LULC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="106"/>
        <source>{0} cannot be both an input and an output of generation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="132"/>
        <source>{0!r} is not supported as a generation {1}; use image modalities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="136"/>
        <source>The {0} modality {1!r} is given twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="157"/>
        <source>Input {0!r} is not configured for this model; inputs: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="165"/>
        <source>{0} input must be a torch tensor, got {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="173"/>
        <source>LULC input must be a class map (B, H, W) or (B, 1, H, W); got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="181"/>
        <source>{0} input must be (B, {1}, H, W){2}; got shape {3}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="188"/>
        <source>{0} input contains NaN or infinite values; fill nodata first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="194"/>
        <source>Inputs must share batch size and pixel size (B, H, W); got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="199"/>
        <source>Generation needs square tiles whose side is a multiple of {0} pixels; got {1}x{2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="234"/>
        <source>No input given; configured inputs: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="239"/>
        <source>Input {0!r} is given twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="297"/>
        <source>noise given for {0}, which are not outputs; outputs: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="309"/>
        <source>{0} diffusion noise must have shape {1}; got {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="382"/>
        <source>Only decoding_steps=1 is supported (one pass per output); got {0!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/modalities.py" line="132"/>
        <source>Modality name must be a string, got {0!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/modalities.py" line="139"/>
        <source>Unknown modality {0!r}. Valid modalities: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/modalities.py" line="168"/>
        <source>Modality {0!r} has no pretrained band order; raw modalities are {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/registry.py" line="89"/>
        <source>Unknown TerraMind size {0!r}; valid sizes: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/registry.py" line="146"/>
        <source>Unknown {0} model {1!r}; valid names: {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/standardize.py" line="76"/>
        <source>No standardisation values for modality {0!r}; known: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/standardize.py" line="96"/>
        <source>Modality {0!r} has no named bands; pass bands=None.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/standardize.py" line="99"/>
        <source>Unknown {0} band(s) {1}; valid bands: {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/standardize.py" line="117"/>
        <source>{0} array must be (C, H, W) or (B, C, H, W), got shape {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tim.py" line="68"/>
        <source>tim_modalities must be distinct image modalities such as [&apos;LULC&apos;]; got {0!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tim.py" line="224"/>
        <source>Band subsets are not supported for TiM models; use the plain backbone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tim.py" line="226"/>
        <source>Only tim_decoding_steps=1 is supported; got {0!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="159"/>
        <source>Class map values must be in 0..{0}; got {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="163"/>
        <source>Tokenizer input must be (B, {0}, H, W) or a class map (B, H, W); got shape {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="174"/>
        <source>Tokenizer input height and width must be multiples of {0}; got {1}x{2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="235"/>
        <source>Token ids must be a (B, h, w) grid; got shape {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="239"/>
        <source>{0} token ids must be in 0..{1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="311"/>
        <source>Diffusion noise must have shape {0}; got {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="337"/>
        <source>No TerraMind tokenizer for {0!r}; available: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="137"/>
        <source>Checkpoint {0} is not a plain state_dict of tensors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tile_pass.py" line="158"/>
        <source>The job was cancelled; partial outputs were removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tile_pass.py" line="276"/>
        <source>Tile {0}/{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tile_pass.py" line="321"/>
        <source>Tiles {0}-{1}/{2}: step {3}/{4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/change.py" line="85"/>
        <source>INPUT_A &apos;{0}&apos; and INPUT_B &apos;{1}&apos; do not overlap. Choose embeddings of the same area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classifier_file.py" line="74"/>
        <source>MODEL: {0!r} is not a TerraMind classifier file (format {1!r}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classifier_file.py" line="80"/>
        <source>MODEL: {0!r} was written by a newer plugin (format version {1}); update the plugin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classifier_file.py" line="86"/>
        <source>MODEL: {0!r} is damaged or was edited (checksum mismatch); train the classifier again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="30"/>
        <source>k-nearest neighbours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="31"/>
        <source>logistic regression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="32"/>
        <source>random forest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="269"/>
        <source>METHOD must be one of {0}, got {1!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="271"/>
        <source>FOLDS must be at least 2, got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="58"/>
        <source>TRAINING: give a point or polygon layer of labelled features, or a saved MODEL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="52"/>
        <source>The embedding raster has too few distinct valid pixels to form 2 clusters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="96"/>
        <source>CLUSTERS must be 0 (automatic) or between 2 and 255, got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="99"/>
        <source>Sampling pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="110"/>
        <source>Fitting k-means</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="137"/>
        <source>Assigning clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="198"/>
        <source>Cancelled; no output was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/explorer.py" line="87"/>
        <source>Embedding raster &apos;{0}&apos; has no valid pixel (check its nodata value).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/outputs.py" line="94"/>
        <source>Output {0!r} is also {1!r}; give each output its own file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="88"/>
        <source>Raster layer &apos;{0}&apos; is not valid; check that its file still exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="92"/>
        <source>Layer &apos;{0}&apos; comes from the &apos;{1}&apos; provider, not from a file. TerraMind reads raster files: export the layer with Export &gt; Save As... (GeoTIFF) and use the exported layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="122"/>
        <source>not a format GDAL knows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="140"/>
        <source>Unknown input modality &apos;{0}&apos;; valid modalities: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="150"/>
        <source>Band(s) {0} do not exist in layer &apos;{1}&apos;, which has {2} band(s) (numbered from 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="161"/>
        <source>The chosen extent is empty; choose an area with a non-zero width and height.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="163"/>
        <source>The extent has no valid CRS; set the project or layer CRS first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="171"/>
        <source>{0} (generated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="238"/>
        <source>Output file &apos;{0}&apos; ({1}) does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="241"/>
        <source>QGIS cannot open the output file &apos;{0}&apos; ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="247"/>
        <source>Patch embeddings of TerraMind {0} from {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/layers.py" line="249"/>
        <source>Synthetic data generated by TerraMind {0} from {1}; seed {2}, {3} diffusion steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="168"/>
        <source>Unexpected error: {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/task.py" line="131"/>
        <source>The TerraMind run was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/task.py" line="134"/>
        <source>The TerraMind run stopped without a result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="224"/>
        <source>Cannot start {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="239"/>
        <source>The installation was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="286"/>
        <source>Resolving packages against QGIS&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="288"/>
        <source>Installing {0} packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="303"/>
        <source>Activating the private package folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="308"/>
        <source>Checking torch and the devices it sees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="347"/>
        <source>Cannot replace {0} ({1}); it may be in use: restart QGIS and run the set-up again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="386"/>
        <source>Only {0:.1f} GB are free in {1}; torch needs about {2:.1f} GB. Free some space and retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="399"/>
        <source>The packages were installed but cannot be checked: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="403"/>
        <source>The packages were installed but {0} still cannot be imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="410"/>
        <source>torch was installed but does not work: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="415"/>
        <source>numpy {0} now imports instead of QGIS&apos;s numpy {1}; remove {2} and report this problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="85"/>
        <source>No Python interpreter is set for the TerraMind worker process.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="42"/>
        <source>About TerraMind for QGIS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="48"/>
        <source>&lt;b&gt;TerraMind for QGIS&lt;/b&gt; {0}&lt;br&gt;Runs the TerraMind 1.0 Earth-observation foundation model (IBM / ESA) on this computer: generated land cover, generated Sentinel-1 and patch embeddings. Generated rasters are synthetic data, not observations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="56"/>
        <source>Checking torch and the devices it sees…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="59"/>
        <source>Copy report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="60"/>
        <source>Copy the diagnostics report (Markdown) to paste into a bug report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="92"/>
        <source>Set Up Runtime…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="76"/>
        <source>TerraMind: check devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="96"/>
        <source>The device check failed: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="107"/>
        <source>torch {0} works on: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="121"/>
        <source>Report copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/layer_actions.py" line="49"/>
        <source>Use in TerraMind…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/layer_actions.py" line="47"/>
        <source>Open the TerraMind panel with this layer as an input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="64"/>
        <source>Choose at least one input layer (for example a Sentinel-2 L2A scene).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="68"/>
        <source>The {role} layer “{name}” cannot be read; check its source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="74"/>
        <source>The {role} layer “{name}” has no CRS; set one in Layer Properties ▸ Source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="81"/>
        <source>The {role} layer “{name}” has {count} band(s); model band(s) {missing} have no layer band. Choose them under Bands… or use a layer with all {role} bands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="94"/>
        <source>The {role} layer “{name}” ({crs}) will be warped onto the grid of “{ref}” ({ref_crs}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="106"/>
        <source>The {role} layer “{name}” does not overlap the {ref_role} layer “{ref}”; choose layers of the same place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="118"/>
        <source>Draw a rectangle on the map first (Area ▸ Draw…), or choose another area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="127"/>
        <source>The chosen area does not overlap the layer “{name}”; zoom to the layer or draw another rectangle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="140"/>
        <source>Choose which modality to generate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="144"/>
        <source>{modality} is both the only input and the output; add another input layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="157"/>
        <source>The output folder “{folder}” does not exist; create it or choose another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="162"/>
        <source>The output folder “{folder}” is not writable; choose another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="195"/>
        <source>Cannot check the weights here ({0}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="240"/>
        <source>No estimate: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="242"/>
        <source>{0:.0f} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="244"/>
        <source>{0:.1f} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="246"/>
        <source>{0} (typical computer; measuring this one…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="247"/>
        <source>{0} tile(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="249"/>
        <source>{0} tile(s) x {1} shifted model passes (stride {2} px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="252"/>
        <source>About {tiles}, {time} on this device, {disk:.1f} MB on disk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="65"/>
        <source>TerraMind settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="71"/>
        <source>Larger models are slower and need more memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="74"/>
        <source>A folder holding checkpoints under their official names (TerraMind_v1_tiny.pt, TerraMind_Tokenizer_LULC.pt, …); used before the download cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="81"/>
        <source>Hugging Face cache folder; empty = the default cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="82"/>
        <source>Offline: never download, use local and cached files only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="83"/>
        <source>Run models in a separate Python process (a crash or out-of-memory error cannot close QGIS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="89"/>
        <source>Python interpreter that runs the models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="90"/>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="91"/>
        <source>Check that this Python has torch &amp; co, and which devices it sees.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="108"/>
        <source>Defaults for new runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="268"/>
        <source>Model size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="113"/>
        <source>Model weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="272"/>
        <source>Local weights folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="116"/>
        <source>Hugging Face cache folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="118"/>
        <source>Runtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="122"/>
        <source>Worker Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="128"/>
        <source>Install torch &amp; co, or pick a CPU or GPU build:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="287"/>
        <source>Checking {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="289"/>
        <source>TerraMind: check a Python environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="252"/>
        <source>{0} is not a usable Python: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="258"/>
        <source>torch does not work in {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="306"/>
        <source>Python {0} with torch {1}: works on {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="272"/>
        <source>Choose the Python interpreter that runs the models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="274"/>
        <source>{0} is a folder; choose the Python interpreter in it (python3 or python.exe).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.py" line="277"/>
        <source>There is no file at {0}. Choose the Python interpreter (python3 or python.exe) of an environment that has torch, or untick the separate process.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="67"/>
        <source>TerraMind: set up the runtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="189"/>
        <source>Install the missing packages into a private folder for this QGIS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="81"/>
        <source>Use an existing Python environment (conda, venv) that has torch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="87"/>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="88"/>
        <source>Looking for an NVIDIA GPU…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="90"/>
        <source>Reinstall the packages of the private folder (e.g. to switch to the GPU build)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="93"/>
        <source>Run jobs in a separate process (a crash or out-of-memory error cannot close QGIS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="100"/>
        <source>Python interpreter of the environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="104"/>
        <source>Check this Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="114"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="203"/>
        <source>Install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="116"/>
        <source>Cancel installation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="121"/>
        <source>TerraMind: look for a GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="130"/>
        <source>Folder: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="132"/>
        <source>torch build:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="147"/>
        <source>Or run yourself:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="203"/>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="209"/>
        <source>Use this Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="224"/>
        <source>GPU (CUDA, {0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="232"/>
        <source>TerraMind jobs now run in a separate process with {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="239"/>
        <source>Nothing to install: every package is available. Settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="243"/>
        <source>TerraMind: install dependencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="248"/>
        <source>Installing {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="265"/>
        <source>Installed {0} packages into {1}. torch works on: {2}. Restart QGIS if torch was already loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="274"/>
        <source>Installation failed: {0} You can also run the command below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="300"/>
        <source>This is not a usable Python: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="64"/>
        <source>TerraMind: download weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="86"/>
        <source>download cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="92"/>
        <source>Download cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="58"/>
        <source>Bands…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="60"/>
        <source>Show which layer band feeds each model band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="112"/>
        <source>{count} bands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="114"/>
        <source>Every model band has a layer band.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="114"/>
        <source>Some model bands have no layer band: open Bands… to choose them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="95"/>
        <source>Band mapping entry &apos;{0}&apos; is not of the form &apos;MODALITY: 1,2,3&apos; (e.g. &apos;S1GRD: 1,2&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="102"/>
        <source>Band mapping names unknown modality &apos;{0}&apos;; valid: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="108"/>
        <source>Band mapping gives modality &apos;{0}&apos; twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="220"/>
        <source>Generation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="220"/>
        <source>Embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="226"/>
        <source>Give at least one input raster; the optical one (S2 or RGB) defines the output grid and the others are warped onto it. Large scenes are processed in overlapping tiles. Weights are downloaded from Hugging Face on first use and cached; set a local weights folder for offline use. Needs the Python package torch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="241"/>
        <source>Generated modality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="250"/>
        <source>Raster layer or file used as the {0} input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="252"/>
        <source>Band mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="252"/>
        <source>Optional 1-based band numbers per modality in the pretrained order, e.g. &apos;S1GRD: 2,1&apos;. Empty: guessed from band descriptions and count.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="123"/>
        <source>Area (extent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="260"/>
        <source>Process only this area; empty: the whole extent of the grid-defining input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="268"/>
        <source>TerraMind 1.0 variant: tiny is fastest (212 MB), base and large give better results.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="272"/>
        <source>Folder holding the checkpoint files under their official names (TerraMind_v1_tiny.pt, TerraMind_Tokenizer_LULC.pt, ...). Empty: the folder from the plugin settings, else Hugging Face.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="285"/>
        <source>Offline (never download)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="285"/>
        <source>Use only cached or local checkpoint files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="290"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="290"/>
        <source>auto picks CUDA, then MPS, then CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="295"/>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="306"/>
        <source>Batch size (tiles per pass)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="306"/>
        <source>Halved automatically on out-of-memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="309"/>
        <source>Tile size (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="309"/>
        <source>Model window; a multiple of 32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="310"/>
        <source>Tile overlap (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="310"/>
        <source>Overlap blended between neighbouring tiles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="312"/>
        <source>Diffusion steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="312"/>
        <source>DDIM steps of the diffusion decoders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="41"/>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="313"/>
        <source>Same seed and inputs give the same output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="314"/>
        <source>Allow large jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="314"/>
        <source>Run a job above the pre-flight limits (several hours or tens of thousands of tiles); without it such a job is refused before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="429"/>
        <source>Give at least one input raster (for example a Sentinel-2 L2A layer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="357"/>
        <source>Input {0}: the file {1} exists but GDAL cannot read it ({2}). Check that it is a complete raster file (e.g. not still downloading) of a format GDAL supports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="387"/>
        <source>set {0}=true (Allow large jobs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="368"/>
        <source>TerraMind cannot run: {0}. Install torch (see the plugin&apos;s README, &apos;Requirements&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="431"/>
        <source>Band mapping given for {0}, but no such input layer was set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/workbench_base.py" line="132"/>
        <source>Output &apos;{0}&apos; must be a GeoTIFF (.tif), got &apos;{1}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="484"/>
        <source>Choose at least one output file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="20"/>
        <source>Change between two dates (embedding distance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="24"/>
        <source>Embeddings of date A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="25"/>
        <source>Embeddings of date B (warped onto A&apos;s grid)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="26"/>
        <source>Change (cosine distance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="26"/>
        <source>float32: 1 - cosine similarity, in [0, 2] (a fixed scale, so scenes and tiles compare).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="30"/>
        <source>Why no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="30"/>
        <source>uint8: 0 valid, 1 nodata in A, 2 nodata in B, 3 outside the overlap.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_change.py" line="36"/>
        <source>Maps how much the embedding of each place changed between two dates. Both rasters must come from the same model; B is resampled (bilinear) onto A&apos;s grid when the grids differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="38"/>
        <source>Classify embeddings from labelled features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="24"/>
        <source>Embedding raster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="44"/>
        <source>Training features (points or polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="44"/>
        <source>Labelled features; a polygon&apos;s pixels all train (and are validated) together. Not needed with MODEL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="53"/>
        <source>Class field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="53"/>
        <source>Integers are used as the class values; other values are class names, numbered 1..N in sorted order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="60"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="60"/>
        <source>k-nearest neighbours (5, scaled features), logistic regression (scaled) or random forest (100 trees).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="70"/>
        <source>Cross-validation folds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="70"/>
        <source>k-fold cross-validation grouped by training feature: each class needs at least this many features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="77"/>
        <source>Saved classifier (apply instead of training)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="77"/>
        <source>A classifier file written by OUTPUT_MODEL; the embedding raster must have the same feature count and come from the same model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="89"/>
        <source>Classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="89"/>
        <source>Paletted class raster with the class names; 0 = nodata.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="93"/>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="93"/>
        <source>float32: the probability of the chosen class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="97"/>
        <source>Accuracy report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="49"/>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="97"/>
        <source>JSON (and a readable .html beside it): overall accuracy, per-class precision/recall/F1, confusion matrix, sample counts per class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="106"/>
        <source>Classifier file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="106"/>
        <source>TerraMind classifier (*{0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="106"/>
        <source>A small reusable classifier (parameters and a JSON header; no executable code) for MODEL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="124"/>
        <source>Give training features and their class field, or a saved classifier (MODEL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="128"/>
        <source>Trains a classifier on the embeddings under labelled points or polygons, reports its accuracy from cross-validation grouped by feature (pixels of one polygon never sit on both sides), and classifies every pixel. Or applies a saved classifier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_classify.py" line="147"/>
        <source>FIELD: choose the class field of the training layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="25"/>
        <source>Cluster embeddings (unsupervised classes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="32"/>
        <source>Number of clusters (0 = automatic)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="32"/>
        <source>K of k-means; 0 tries K = 2..12 and keeps the one with the best silhouette score (see the report).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="41"/>
        <source>The same seed gives the same result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="45"/>
        <source>Clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="45"/>
        <source>Paletted class raster: clusters 1..K by decreasing size, 0 = nodata.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="49"/>
        <source>Cluster report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="49"/>
        <source>JSON: K, inertia, cluster sizes in pixels, and the automatic choice&apos;s scores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_clusters.py" line="57"/>
        <source>Groups pixels with similar embeddings into K unsupervised classes with k-means, fitted on a random sample of pixels and applied to every pixel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="20"/>
        <source>Find similar places (embedding similarity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="25"/>
        <source>Seeds (points or polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="25"/>
        <source>A point takes the pixel under it, a polygon every pixel inside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="30"/>
        <source>Negatives (points or polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="30"/>
        <source>Optional: places unlike what you look for; their similarity is subtracted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="36"/>
        <source>Similarity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="36"/>
        <source>float32: cosine similarity in [-1, 1] to the mean of the seeds&apos; vectors (with negatives: minus the similarity to the negatives&apos; mean); nodata where the input is nodata.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embedding_similarity.py" line="45"/>
        <source>Click-free &apos;find more like this&apos;: the mean embedding of the seeds is compared with every pixel&apos;s embedding by cosine similarity. Bright pixels look like the seeds to the model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embeddings_pca.py" line="29"/>
        <source>{0} px ({1} model pass(es) per tile)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embeddings_pca.py" line="30"/>
        <source>Embedding stride</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embeddings_pca.py" line="30"/>
        <source>Pixels between embedding vectors: 16 = one vector per 16 x 16 patch; 8 or 4 run the model on shifted windows ((16 / stride)^2 passes) and average the token features per output pixel, written at stride x the input pixel size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/embeddings_pca.py" line="45"/>
        <source>Computes TerraMind encoder embeddings, one vector per 16 x 16 pixel patch (160 m for 10 m input), or every 8 or 4 pixels with the stride option, and writes them as a multi-band GeoTIFF. A PCA fitted once over the whole area maps them to a 3-band false-colour image in which similar surfaces get similar colours. The embeddings feed the Embedding workbench algorithms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/generate_lulc.py" line="19"/>
        <source>Generates a 10-class land-use / land-cover map (water, trees, flooded vegetation, crops, built area, bare ground, snow/ice, clouds, rangeland; 0 = no data) with TerraMind&apos;s any-to-any generation. The output is a paletted uint8 GeoTIFF with class names. It is synthetic: the model&apos;s estimate, not a survey.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/generate_modality.py" line="25"/>
        <source>Modality to generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/generate_modality.py" line="28"/>
        <source>LULC classes, S1GRD/S1RTC (dB), S2L2A (DN), DEM (metres) or NDVI.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/generate_modality.py" line="40"/>
        <source>Generates the chosen modality from the inputs: LULC (classes), Sentinel-1 GRD or RTC (VV, VH in dB), Sentinel-2 L2A (12 bands, DN), DEM (metres) or NDVI. Outputs are synthetic data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/generate_s1grd.py" line="19"/>
        <source>Generates synthetic Sentinel-1 GRD backscatter from the inputs (for example from Sentinel-2 under clouds). The output is a float32 GeoTIFF with two bands, VV and VH, in dB, shown as a VV/VH false colour image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/workbench_base.py" line="52"/>
        <source>Embedding workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/workbench_base.py" line="58"/>
        <source>Works on any multi-band embedding raster: the embeddings of &apos;Patch embeddings with PCA map&apos;, or another model&apos;s embedding GeoTIFF (one band per feature; nodata is respected). The raster is read in windows, so memory stays bounded; outputs are on the embedding raster&apos;s grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/workbench_base.py" line="80"/>
        <source>Multi-band embedding raster (one band per feature).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/workbench_base.py" line="94"/>
        <source>{0}: choose an embedding raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/workbench_base.py" line="112"/>
        <source>{0}: the layer has no field &apos;{1}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/workbench_base.py" line="65"/>
        <source>The embedding workbench cannot run: {0}. Install scikit-learn (Set Up Runtime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/install_task.py" line="87"/>
        <source>The installation was cancelled; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="143"/>
        <source>The TerraMind run was cancelled; its partial outputs were removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="153"/>
        <source>The TerraMind worker ran out of memory ({0}: {1}). {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="158"/>
        <source>The TerraMind worker failed with {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="95"/>
        <source>A {0} input needs {1} bands ({2}) but the raster has {3} and its band names do not identify them. Choose the bands in the band-mapping editor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="310"/>
        <source>Out of memory even with one tile per batch: choose a smaller model, a smaller tile size, lower precision, or the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/pipeline.py" line="127"/>
        <source>Input &apos;{0}&apos; does not overlap &apos;{1}&apos; (or the area of interest); choose layers that cover the same place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/raster_io.py" line="73"/>
        <source>Input '{0}' holds complex values ({1}), e.g. SAR phase data; TerraMind needs real values. Convert it first, e.g. to the magnitude in dB for Sentinel-1: 10*log10(abs(x)²) with the Raster Calculator or gdal_calc.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="90"/>
        <source>Outputs {0!r} and {1!r} are the same file (or share the style file {2!r}); give each output its own file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="105"/>
        <source>Output {0!r} would overwrite {1!r}, which belongs to the input {2!r}; choose another output file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/checkpoint.py" line="112"/>
        <source>Checkpoint {0} cannot be read safely ({1}: {2}). It may be truncated or corrupt (download it again), or need code to load, which is never run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/checkpoint.py" line="122"/>
        <source>Checkpoint {0} is a pickled {1} object, which would need its code to load. Save the model&apos;s state_dict (or use the Lightning .ckpt) instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/loading.py" line="55"/>
        <source>{0} does not fit the model of its config ({1}). Check that the config and the checkpoint belong to the same fine-tune.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/model.py" line="229"/>
        <source>backbone_temporal_pooling=&apos;keep&apos; returns per-date features; segmentation decoders need one map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/necks.py" line="108"/>
        <source>LearnedInterpolateToPyramidal needs exactly 4 feature maps, got {0}; select 4 layers with SelectIndices first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="62"/>
        <source>backbone_temporal_pooling=&apos;diff&apos; needs exactly two subsets, got backbone_temporal_subset_lengths={0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/temporal.py" line="69"/>
        <source>backbone_temporal_subset_lengths={0} add up to {1} dates but backbone_temporal_n_timestamps is {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/encoder.py" line="275"/>
        <source>Inputs have different sizes ({0}: {1} tokens); merge_method={2!r} needs all image inputs on the same pixel grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="267"/>
        <source>{0} needs a square tile whose side is a multiple of 32 pixels (e.g. 224 or 256); got {1}x{2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="75"/>
        <source>Memory ran out while loading the checkpoint {0} ({1:.1f} GB): the model needs about {2:.1f} GB of free memory for this file on top of what is already in use. The file is not at fault. Close other programs, choose a smaller model size, or run jobs in a separate process (Set Up Runtime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="85"/>
        <source>Checkpoint {0} was refused for safety and not loaded: it is not a plain file of tensors (it asks for Python objects or code, or it is corrupt). Only official TerraMind checkpoints are accepted; download the file again from its Hugging Face repository.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="95"/>
        <source>Checkpoint {0} cannot be read ({1}: {2}). The file is probably truncated or corrupt (e.g. an interrupted download): delete it and download it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="243"/>
        <source>{0} does not fit this model: {1} tensors have another shape (e.g. {2}).{3} Choose the model size that matches the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="251"/>
        <source>{0} lacks {1} tensors this model needs (e.g. {2}); it is not a TerraMind 1.0 checkpoint for this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/change.py" line="65"/>
        <source>INPUT_B &apos;{0}&apos; has {1} features, INPUT_A &apos;{2}&apos; has {3}. Compare embeddings of the same model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/change.py" line="72"/>
        <source>INPUT_A &apos;{0}&apos; holds embeddings of {1}, INPUT_B &apos;{2}&apos; of {3}. Compare embeddings of the same model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classifier_file.py" line="66"/>
        <source>MODEL: {0!r} is not a TerraMind classifier file ({1}). Choose a file written by &apos;Classify embeddings&apos; (OUTPUT_MODEL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="100"/>
        <source>FIELD holds class value(s) {0} outside 1..65535 (0 marks nodata in the output). Renumber the classes or use a text field of class names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="141"/>
        <source>TRAINING: none of the {0} feature(s) of &apos;{1}&apos; with a class lies inside the embedding raster &apos;{2}&apos;. Draw training features over the raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="166"/>
        <source>TRAINING: &apos;{0}&apos; has only {1} class{2} with valid pixels inside &apos;{3}&apos;; a classifier needs at least two classes. Add features of another class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="179"/>
        <source>TRAINING: class &apos;{0}&apos; has {1} training feature(s) with valid pixels, fewer than FOLDS={2}. Cross-validation is grouped by feature (all pixels of a feature stay on one side), so each class needs at least FOLDS features: draw more &apos;{3}&apos; features or lower FOLDS (at least 2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="302"/>
        <source>MODEL was trained on embeddings with {0} features; &apos;{1}&apos; has {2} bands. Apply it to embeddings of the same model ({3}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="312"/>
        <source>MODEL was trained on embeddings of {0}; &apos;{1}&apos; holds embeddings of {2}. Vectors of different models are not comparable: compute the embeddings with the classifier&apos;s model, or train again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="103"/>
        <source>Embedding raster &apos;{0}&apos; has only {1} valid pixel(s); clustering needs more than {2}. Check its nodata value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/embedding_raster.py" line="111"/>
        <source>Embedding raster &apos;{0}&apos; has {1} band; an embedding raster has one band per feature (at least 2). Choose the embeddings output of &apos;Patch embeddings&apos; or another model&apos;s multi-band embedding GeoTIFF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/explorer.py" line="71"/>
        <source>Embedding raster &apos;{0}&apos; needs {1:.1f} GiB in memory to explore (limit {2:.0f} GiB). Explore a smaller area, or use the Embedding workbench algorithms, which stream any size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/similarity.py" line="34"/>
        <source>{0}: none of the {1} feature(s) of &apos;{2}&apos; lies inside the embedding raster &apos;{3}&apos;. Draw them over the raster&apos;s extent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/similarity.py" line="42"/>
        <source>{0}: every pixel under the features of &apos;{1}&apos; is nodata in &apos;{2}&apos;. Place them where the embedding raster has values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="234"/>
        <source>Cannot start the TerraMind worker with Python {0}: {1}. Check the worker Python in the TerraMind set-up dialog.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="144"/>
        <source>{0} input &apos;{1}&apos; looks like linear backscatter (all values &gt;= 0, median {2:.3g}); TerraMind expects decibels: convert with 10*log10(x).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="154"/>
        <source>{0} input &apos;{1}&apos; looks like reflectance in 0-1 (99th percentile {2:.3g}); TerraMind expects digital numbers (reflectance x 10000): multiply by 10000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="162"/>
        <source>{0} input &apos;{1}&apos; has implausibly small values for Sentinel-2 (99th percentile {2:.3g}): it looks like an 8-bit or percent rendering. TerraMind expects digital numbers (reflectance x 10000), so the results will be wrong; use the product&apos;s own bands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="172"/>
        <source>{0} input &apos;{1}&apos; seems to include the +1000 offset of Sentinel-2 processing baseline 04.00+. TerraMind was pretrained on data both with and without it, so the values are used as they are; subtract 1000 if the results look too bright.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/bands.py" line="182"/>
        <source>RGB input &apos;{0}&apos; has values above 255; TerraMind expects 8-bit (0-255) colour composites.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/checkpoints.py" line="187"/>
        <source>https://huggingface.co/{0} has no file {1} (it has: {2}). The repository has changed since this plugin version; download the files yourself and choose them as a TerraTorch config and checkpoint, or update the plugin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cluster.py" line="88"/>
        <source>Cannot reach the Dask scheduler at {0!r} within {1:g} s ({2}). Check the address (tcp://host:8786), that the scheduler is running and that this computer can reach it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cluster.py" line="169"/>
        <source>Dask cluster {0}: {1} workers, {2} threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cluster.py" line="221"/>
        <source>Loading the model on a Dask worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cluster.py" line="351"/>
        <source>Dask workers died while running {0!r} several times in a row (the task was retried on other workers). They may run out of memory: give each worker more memory, or use a smaller batch size, tile size or model. ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cluster.py" line="360"/>
        <source>The Dask scheduler {0} dropped the job&apos;s tasks (was it restarted, or did the connection break?). Run the job again. ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cluster.py" line="368"/>
        <source>A Dask worker cannot import {0!r}: install the same packages on the workers as here (terramind_qgis on their PYTHONPATH, torch, rasterio, numpy&lt;2). ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cluster.py" line="497"/>
        <source>The job was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="288"/>
        <source>Memory ran out with {0} tiles per batch; the run continued with {1}. Set the batch size to {2} to avoid the retries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="362"/>
        <source>Dated input sets are for task &apos;segment&apos;, not {0!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="409"/>
        <source>Choose a fine-tuned model, or a TerraTorch config file and its checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="411"/>
        <source>Give either the model {0!r} or a config and checkpoint, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="415"/>
        <source>Add the input rasters of at least one date (Sentinel-2 L2A and Sentinel-1 RTC).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="421"/>
        <source>Date &apos;{0}&apos; has inputs {1} but date &apos;{2}&apos; has {3}; give every date the same modalities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="428"/>
        <source>{0} is given per date and once for all dates; give it only once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="450"/>
        <source>Output {0!r} must be a CSV file name ending in .csv.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="462"/>
        <source>Output {0!r} is the same file as {1!r}; choose another file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="470"/>
        <source>sampling needs 0 &lt;= temperature &lt;= 100, 0 &lt;= top_p &lt;= 1 and 0 &lt;= top_k &lt;= 100000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="491"/>
        <source>device must be one of {0} or cuda:N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="512"/>
        <source>tile size must be a multiple of {0} (e.g. 224)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="514"/>
        <source>overlap must be between 0 and half the tile size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="516"/>
        <source>overlap must be a multiple of 16 pixels for embeddings (one patch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/pipeline.py" line="296"/>
        <source>Input &apos;{0}&apos; covers only about {1:.0%} of the area; the outputs are nodata where it is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/pipeline.py" line="318"/>
        <source>Input &apos;{0}&apos; has no valid pixel in the sampled centre of the area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Classes (fine-tuned model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>Class probabilities (fine-tuned model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="323"/>
        <source>Land cover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>S1 GRD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="323"/>
        <source>Map with a fine-tuned model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="323"/>
        <source>Fine-tuned map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>S2 L2A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>S2 L1C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="427"/>
        <source>S1 RTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="315"/>
        <source>Cannot write next to the output {0!r} ({1}); choose a writable folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/catalog.py" line="74"/>
        <source>Unknown fine-tuned model {0!r}; choose one of {1} or give a config and checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/loading.py" line="49"/>
        <source>{0} missing keys: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/loading.py" line="51"/>
        <source>{0} unexpected keys: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/loading.py" line="53"/>
        <source>{0} keys of another shape: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="79"/>
        <source>This model is built for {0} dates; the job has {1}. Give {2} dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="85"/>
        <source>This model takes one date; the job has {0}. Give one date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="95"/>
        <source>The model needs a {0} input; add a {1} raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="104"/>
        <source>The statistics for {0} ({1}) have {2} values for {3} bands; fix the means/stds of the config.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="114"/>
        <source>The model does not use the input(s) {0}; it takes {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="195"/>
        <source>Downloading the model: {0:.0f} / {1:.0f} MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="159"/>
        <source>{0} tensors loaded, {1} checkpoint tensors unused, {2} with another shape, {3} model tensors not in the checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="132"/>
        <source>{0} feature(s) of &apos;{1}&apos; have no class value and were skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="159"/>
        <source>Class(es) {0} have no valid pixel inside &apos;{1}&apos; and were left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/adapters/task.py" line="100"/>
        <source>{0} (cancelled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cluster.py" line="27"/>
        <source>Running jobs on a Dask cluster needs the Python packages &apos;dask&apos; and &apos;distributed&apos; in the Python that runs the jobs (and on every worker): python -m pip install dask distributed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cluster.py" line="53"/>
        <source>Jobs are set to run on a Dask cluster, but no scheduler address is set: enter it in TerraMind Settings (e.g. tcp://host:8786), or untick &apos;Run jobs on a Dask cluster&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cluster.py" line="100"/>
        <source>Python {0} could not check the cluster: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cluster.py" line="101"/>
        <source>no answer about the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/deps.py" line="82"/>
        <source>All TerraMind dependencies are installed for Python {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/deps.py" line="83"/>
        <source>TerraMind needs {0}, which Python {1} ({2}) cannot import. Open Raster &gt; TerraMind &gt; Set Up Runtime to install them into a private folder or to use an existing Python environment that has them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="424"/>
        <source>A CUDA build of torch was installed but it cannot use the GPU; TerraMind will run on the CPU. Update the NVIDIA driver, then run the set-up again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="15"/>
        <source>QGIS&apos;s Python has no pip. Install pip for it (Linux: the python3-pip package), or choose an existing Python environment that has torch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="15"/>
        <source>The packages TerraMind needs conflict with packages QGIS ships (which are never upgraded, to keep QGIS working). Use an existing Python environment (conda or venv) with torch instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="15"/>
        <source>No permission to write the private package folder. Check the rights on the QGIS profile folder or choose an existing Python environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="15"/>
        <source>The disk is full. torch needs about 1 GB (CPU build) to 5 GB (CUDA build); free some space and retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="15"/>
        <source>A secure connection to the package index failed (a proxy or firewall replacing certificates?). Ask your IT for the certificate, or run the manual command with --cert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="15"/>
        <source>The package index cannot be reached (no network, or a proxy is required). Check the connection or the proxy settings, or run the manual command on a machine that is online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="15"/>
        <source>pip found no build of a required package for this Python version and platform (or could not read the package index). Use an existing Python environment with torch instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="162"/>
        <source>no output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/pip_failures.py" line="107"/>
        <source>pip failed: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="101"/>
        <source>Jobs run in a separate process with {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="101"/>
        <source>Jobs run in QGIS&apos;s own Python {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/about.py" line="107"/>
        <source>torch cannot be used there: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="47"/>
        <source>TerraMind: model weights needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="48"/>
        <source>This run needs {0} weight file(s) that are not on this computer yet, about {1}: {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="53"/>
        <source>Download them now from Hugging Face into {0} (once; later runs reuse them), or choose a local folder that already holds these files under these names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="59"/>
        <source>Download now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="60"/>
        <source>Choose a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="199"/>
        <source>a folder you then choose as the local weights folder (Weights…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="200"/>
        <source>Offline mode is on and these weight files are not on this computer: {0}. Put them into {1} under these names, or switch offline mode off to download them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="208"/>
        <source>These weight files will be downloaded first, about {0}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="189"/>
        <source>Use the packages QGIS&apos;s Python already has (nothing is missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="46"/>
        <source>Fine-tuned models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="52"/>
        <source>Maps a scene with a fine-tuned TerraMind model: TerraMind-base-Flood (water) or TerraMind-base-Fire (burn scars), IBM and ESA&apos;s models trained on ImpactMesh with four dates of Sentinel-2 L2A and Sentinel-1 RTC plus a DEM, or any TerraTorch fine-tune given as its config YAML and checkpoint (leave MODEL empty). Give the Sentinel-2 L2A and Sentinel-1 RTC layers of each date in date order (as many dates as the model needs) and the DEM once. Writes a paletted class raster with class names, optionally the per-class probabilities, and a CSV table of each class&apos;s area (pixels, hectares, percent of the valid area), also shown in the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="63"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="63"/>
        <source>TerraMind-base-Flood or TerraMind-base-Fire (downloaded on first use); empty when a CONFIG and CHECKPOINT are given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="71"/>
        <source>TerraTorch config (YAML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="71"/>
        <source>The fine-tune&apos;s TerraTorch config; with CHECKPOINT, instead of MODEL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="77"/>
        <source>Checkpoint (.ckpt or .pt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="77"/>
        <source>The fine-tune&apos;s Lightning checkpoint or state_dict; read with weights_only (no code is run).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="84"/>
        <source>{0}, one layer per date (date order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="96"/>
        <source>DEM (serves every date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="96"/>
        <source>Elevation in metres, given once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="109"/>
        <source>Area per class (CSV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="109"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="123"/>
        <source>Process only this area; empty: the whole extent of the first date&apos;s Sentinel-2 layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="154"/>
        <source>Give the Sentinel-2 L2A and Sentinel-1 RTC layers of each date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="137"/>
        <source>Choose a MODEL, or give both a CONFIG and a CHECKPOINT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="156"/>
        <source>Give one layer per date for each modality, in date order; got {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="161"/>
        <source>date {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="177"/>
        <source>Give both the CONFIG file and its CHECKPOINT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="84"/>
        <source>This modality&apos;s layer of each date, oldest first; the first Sentinel-2 layer is the grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/installer.py" line="369"/>
        <source>{0} cannot be reached ({1}); torch comes from pip&apos;s configured package index.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="39"/>
        <source>an access violation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="40"/>
        <source>a stack overflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="41"/>
        <source>a fatal runtime error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="42"/>
        <source>running out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="46"/>
        <source>Use a smaller batch size, tile size or model, or close other programs; QGIS itself is unaffected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="170"/>
        <source>The Python of the TerraMind worker ({0}) cannot import a required package: {1}. Set up the runtime (Raster &gt; TerraMind &gt; Set Up Runtime) or choose another Python.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="175"/>
        <source>The TerraMind worker was killed (SIGKILL), most likely by the operating system because it ran out of memory. {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="181"/>
        <source>The TerraMind worker crashed ({0}); QGIS itself is unaffected. Last output: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="187"/>
        <source>The TerraMind worker stopped because of {0} (code 0x{1:08X}). Last output: {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/worker.py" line="190"/>
        <source>The TerraMind worker stopped with exit code {0} and no result. Last output: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/explorer.py" line="166"/>
        <source>labelled clicks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/explorer.py" line="186"/>
        <source>Explore preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="295"/>
        <source>auto: bfloat16 on a CUDA GPU that supports it and on a CPU that computes it natively (AVX512-BF16 or AMX-BF16), float32 elsewhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/checkpoints.py" line="209"/>
        <source>Put it into {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/checkpoints.py" line="209"/>
        <source>Put it into a folder and set that folder as the weights folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/checkpoints.py" line="215"/>
        <source>{0} is not available offline: it is neither in the weights folder nor in the Hugging Face cache. Allow downloads, or download it yourself from https://huggingface.co/{1} (file {0}). {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/checkpoints.py" line="231"/>
        <source>Could not download {0} from https://huggingface.co/{1}: {2}. Check the internet connection, or download the file yourself. {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="123"/>
        <source>wrong result of a test matrix product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="234"/>
        <source>This Python ({0}) cannot import &apos;{1}&apos;: {2}. Install the missing package or set up the TerraMind runtime (Raster &gt; TerraMind &gt; Set Up Runtime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="268"/>
        <source>pass --allow-large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="292"/>
        <source>folder of extra packages, appended to sys.path (repeatable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="304"/>
        <source>run one job spec (JSON file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="305"/>
        <source>path of the job JSON (JobSpec.to_json())</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="306"/>
        <source>the same, as an option</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="307"/>
        <source>write events as JSON lines on stdout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="308"/>
        <source>journal of a run started by the plugin (join it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="309"/>
        <source>run a job above the size or time limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="310"/>
        <source>&apos;module:function&apos; with run_job&apos;s signature (default: core.pipeline.run_job)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="316"/>
        <source>run on the Dask scheduler at tcp://host:8786</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="319"/>
        <source>run on a local Dask cluster of N workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="322"/>
        <source>torch threads per Dask worker (default: one per CPU of the worker; local cluster: CPUs / N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="330"/>
        <source>seconds to wait for the scheduler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="337"/>
        <source>print this Python&apos;s packages (and devices) as JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="340"/>
        <source>also import torch and test its devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="341"/>
        <source>also connect to this Dask scheduler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="155"/>
        <source>{0} was chosen in the job&apos;s options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="158"/>
        <source>automatic: this GPU computes bfloat16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="159"/>
        <source>automatic: this GPU has no bfloat16 support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="161"/>
        <source>automatic: float32 on the CPU for this model (its bfloat16 accuracy is not measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="168"/>
        <source>automatic: this CPU computes bfloat16 natively ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="172"/>
        <source>automatic: this CPU has no native bfloat16 (AVX512-BF16 or AMX-BF16), where it is slower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/device.py" line="176"/>
        <source>automatic: float32 on {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/estimate.py" line="170"/>
        <source>This job is large: about {0} tile(s) and {1:.1f} h on this computer (limits: {2} tiles, {3:.0f} h).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/estimate.py" line="183"/>
        <source>The outputs need up to {0:.2f} GB but the output folder {1!r} has only {2:.2f} GB free. Free some space or choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/estimate.py" line="209"/>
        <source>{0} Choose a smaller area, fewer diffusion steps or a smaller model, or {1} to run it anyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/estimate.py" line="215"/>
        <source>{0} It runs because large jobs are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/grid.py" line="129"/>
        <source>the area of interest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="67"/>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="68"/>
        <source>true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="69"/>
        <source>an integer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="70"/>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="272"/>
        <source>{0} or {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="339"/>
        <source>{0} from &apos;{1}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="382"/>
        <source>Input &apos;{0}&apos; has unknown modality {1!r}; choose one of {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="388"/>
        <source>Input &apos;{0}&apos; of date &apos;{1}&apos; has unknown modality {2!r}; choose one of {3}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="394"/>
        <source>Two inputs are marked {0}; give each modality at most once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="398"/>
        <source>Two inputs of date &apos;{0}&apos; are marked {1}; give each modality at most once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="474"/>
        <source>Invalid job options: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="486"/>
        <source>{0} must be one of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/jobs.py" line="498"/>
        <source>{0} must be between {1} and {2}, got {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>nodata in A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>nodata in B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/products.py" line="151"/>
        <source>outside the overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="74"/>
        <source>{0}, and {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="78"/>
        <source>the name says {0}, a product TerraMind makes, not one of its inputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="96"/>
        <source>the band descriptions name the {0} bands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="109"/>
        <source>the name contains {0} and it has {1} band(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="121"/>
        <source>{0} (values {1:.4g} to {2:.4g})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="128"/>
        <source>{0} bands like Sentinel-2 {1}; they look like reflectance 0-1, TerraMind expects x 10000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="134"/>
        <source>{0} bands like Sentinel-2 {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="137"/>
        <source>2 bands of negative values like backscatter in dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="139"/>
        <source>2 bands like linear backscatter; convert to dB: 10*log10(x)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="140"/>
        <source>2 bands, as Sentinel-1 VV and VH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="143"/>
        <source>3 bands of 0-255 colour values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="144"/>
        <source>3 bands, but not 0-255 colour values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="147"/>
        <source>{0} bands match no TerraMind input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="152"/>
        <source>one band, as an elevation model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="154"/>
        <source>one band of small whole numbers: classes such as land cover, not an input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="158"/>
        <source>one band between -1 and 1: an index such as NDVI, not an input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/roles.py" line="159"/>
        <source>one band of elevations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="511"/>
        <source>The output {0!r} is being written by another TerraMind run. Wait for that run to finish, or choose another output file name. If that run no longer exists (its computer stopped), delete {1!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/run_files.py" line="517"/>
        <source>The output {0!r} is being written by another TerraMind run{1} (started {2}, process {3} on {4}). Wait for that run to finish, or choose another output file name. If that run no longer exists (its computer stopped), delete {5!r}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/catalog.py" line="40"/>
        <source>Flood (TerraMind-base-Flood, ImpactMesh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/catalog.py" line="40"/>
        <source>No water</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/catalog.py" line="40"/>
        <source>Burn scars (TerraMind-base-Fire, ImpactMesh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/catalog.py" line="40"/>
        <source>Not burned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/catalog.py" line="40"/>
        <source>Burned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/loading.py" line="43"/>
        <source>{0} (file {1}, model {2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="62"/>
        <source>config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/predictor.py" line="64"/>
        <source>TerraMind v1 pretraining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/tasks/sinks.py" line="117"/>
        <source>Class {0} {1}: {2} pixels, {3:.2f} ha, {4:.2f}% of the valid area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/generation.py" line="205"/>
        <source>Generation of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/registry.py" line="166"/>
        <source>backbone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/registry.py" line="167"/>
        <source>full model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/standardize.py" line="121"/>
        <source>{0} array has {1} channels on axis -3; expected {2} ({3}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/standardize.py" line="127"/>
        <source>{0} array has {1} channels on axis -3; expected {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="267"/>
        <source>Diffusion output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/tokenizers.py" line="306"/>
        <source>{0} generation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="208"/>
        <source>It looks like a TerraMind {0} checkpoint (D={1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/terramind/weights.py" line="239"/>
        <source>{0}: file {1} vs model {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/change.py" line="93"/>
        <source>change from {0} to {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="232"/>
        <source>stratified k-fold grouped by training feature (out-of-fold predictions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="236"/>
        <source>rows: reference class, columns: predicted class, in the order of &apos;classes&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="69"/>
        <source>classification of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="110"/>
        <source>Classification report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="40"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="123"/>
        <source>Method: {0}. Embeddings: {1} (model: {2}). Training layer: {3}, {4} pixels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="127"/>
        <source>Validation: {0}, {1} folds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="130"/>
        <source>Overall accuracy: {0:.1f} %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="161"/>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="132"/>
        <source>class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="132"/>
        <source>precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="132"/>
        <source>recall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="132"/>
        <source>F1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="132"/>
        <source>pixels used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="132"/>
        <source>pixels under features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="132"/>
        <source>features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="158"/>
        <source>reference \ predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="54"/>
        <source>K={0} has the highest silhouette score ({1:.3f}) of K={2}..{3}, fitted on {4} sampled pixels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/clusters.py" line="116"/>
        <source>clusters of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/similarity.py" line="76"/>
        <source>similarity on {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cuda.py" line="215"/>
        <source>No NVIDIA GPU was found (nvidia-smi reported none).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cuda.py" line="219"/>
        <source>The NVIDIA driver {0} is too old for current PyTorch CUDA builds; update the driver to use the GPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cuda.py" line="232"/>
        <source>{0}: driver {1} supports CUDA {2}; CUDA {3} build of torch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cuda.py" line="241"/>
        <source>{0}: driver {1} supports CUDA {2}; CUDA {3} build of torch through CUDA minor-version compatibility (a driver update is recommended).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/cuda.py" line="249"/>
        <source>No PyTorch CUDA build supports {0} with driver {1} (CUDA {2}); update the NVIDIA driver to use the GPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/deps.py" line="229"/>
        <source>no device report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/deps.py" line="269"/>
        <source>Python {0} did not answer within {1:.0f} s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/deps.py" line="273"/>
        <source>Python {0} could not run the TerraMind probe: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="53"/>
        <source>not importable from Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="55"/>
        <source>Plugin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="83"/>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="89"/>
        <source>Not probed (open the About dialog and wait for the device check).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="91"/>
        <source>torch does not work: `{0}`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="93"/>
        <source>torch {0}, CUDA build: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="93"/>
        <source>none (CPU build)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="97"/>
        <source>device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="97"/>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="97"/>
        <source>memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="97"/>
        <source>capability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="97"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="100"/>
        <source>{0:.1f} GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="102"/>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="102"/>
        <source>failed: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="108"/>
        <source>missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="109"/>
        <source>package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="146"/>
        <source>version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="109"/>
        <source>location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="139"/>
        <source>Private package folder: `{0}` (exists)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="139"/>
        <source>Private package folder: `{0}` (not created)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="145"/>
        <source>TerraMind for QGIS: diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="146"/>
        <source>component</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="147"/>
        <source>QGIS&apos;s Python packages ({0}, Python {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="154"/>
        <source>Worker Python packages ({0}, Python {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="158"/>
        <source>Devices (worker Python)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="158"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="160"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../bridge/runtime/diagnostics.py" line="161"/>
        <source>setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="45"/>
        <source>class A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="45"/>
        <source>class B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="315"/>
        <source>clicked seeds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/preflight.py" line="225"/>
        <source>{0} Choose a smaller area, fewer diffusion steps or a smaller model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/setup_dialog.py" line="53"/>
        <source>CPU build of torch (works everywhere).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/provider.py" line="43"/>
        <source>TerraMind 1.0 foundation model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../algorithms/segment.py" line="188"/>
        <source>Output &apos;{0}&apos; must be a CSV file (.csv), got &apos;{1}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="359"/>
        <source>give the job file once: &apos;run job.json&apos; or &apos;run --spec job.json&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/cli.py" line="361"/>
        <source>--local-cluster needs at least 1 worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify.py" line="312"/>
        <source>an unknown model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="162"/>
        <source>Per class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="162"/>
        <source>Confusion matrix (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/role_guesses.py" line="34"/>
        <source>TerraMind: reading values of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/pipeline.py" line="240"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/change.py" line="111"/>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="54"/>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/workbench/classify_raster.py" line="87"/>
        <source>Classifying</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdvancedOptions</name>
    <message>
        <location filename="../ui/widgets/advanced.py" line="27"/>
        <source>Pixels shared by neighbouring {0}-px tiles; blended to hide seams.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/advanced.py" line="34"/>
        <source>Tiles per forward pass; halved automatically when memory runs out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/advanced.py" line="37"/>
        <source>Diffusion steps when generating Sentinel or DEM images (more = slower).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/advanced.py" line="42"/>
        <source>Seed of the sampling; the same seed gives the same result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/advanced.py" line="45"/>
        <source>Tile overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/advanced.py" line="46"/>
        <source>Batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/advanced.py" line="47"/>
        <source>Diffusion steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/advanced.py" line="48"/>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AreaChooser</name>
    <message>
        <location filename="../ui/widgets/area.py" line="32"/>
        <source>Whole layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/area.py" line="33"/>
        <source>Current map extent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/area.py" line="34"/>
        <source>Rectangle drawn on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/area.py" line="35"/>
        <source>Draw…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/area.py" line="36"/>
        <source>Drag a rectangle on the map canvas.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BandMappingEditor</name>
    <message>
        <location filename="../ui/widgets/band_mapping.py" line="57"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/band_mapping.py" line="94"/>
        <source>No layer band chosen for: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/band_mapping.py" line="96"/>
        <source>Suggested mapping from the band count and band descriptions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/band_mapping.py" line="98"/>
        <source>Custom mapping.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClusterOptions</name>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="37"/>
        <source>Dask cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="40"/>
        <source>Run jobs on a Dask cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="41"/>
        <source>The dock and the Processing algorithms send the model work to the workers of a Dask cluster; inputs and outputs must be on a folder every worker can read and write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="49"/>
        <source>Check Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="53"/>
        <source>Scheduler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="77"/>
        <source>Enter the address of the Dask scheduler (e.g. tcp://host:8786).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="90"/>
        <source>Enter the scheduler address first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="92"/>
        <source>Connecting to {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="95"/>
        <source>TerraMind: check a Dask cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="109"/>
        <source>The check failed: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="113"/>
        <source>Connected to {0}: {1} workers, {2} threads, {3:.1f} GiB of memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/cluster_options.py" line="117"/>
        <source>No worker is connected yet: jobs wait until one joins.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DatedInputsForm</name>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="52"/>
        <source>TerraTorch config + checkpoint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="54"/>
        <source>TerraTorch config (*.yaml *.yml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="56"/>
        <source>Checkpoint (*.ckpt *.pt *.pth)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="59"/>
        <source>The model says how many dates it needs (the IBM models: 4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="63"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="64"/>
        <source>Config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="65"/>
        <source>Checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="66"/>
        <source>Dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="71"/>
        <source>DEM (all dates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="112"/>
        <source>Date {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="143"/>
        <source>Date {0} has no {1} layer; choose one for every date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="149"/>
        <source>date {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/dated_inputs.py" line="160"/>
        <source>Choose the TerraTorch config file and its checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicePicker</name>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="38"/>
        <source>Automatic (best available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="39"/>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="41"/>
        <source>Apple GPU (MPS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="42"/>
        <source>Where the model runs. GPUs are listed by nvidia-smi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="44"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="44"/>
        <source>float32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="44"/>
        <source>bfloat16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="44"/>
        <source>float16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="57"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="58"/>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="99"/>
        <source>CUDA {index}: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="101"/>
        <source> ({0:.0f} GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/device_picker.py" line="49"/>
        <source>Automatic: bfloat16 on CUDA GPUs that support it and on CPUs that compute it natively (AVX512-BF16 or AMX-BF16), float32 elsewhere.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DownloadThenRun</name>
    <message>
        <location filename="../ui/missing_weights.py" line="94"/>
        <source>Downloading {0} weight file(s), about {1}; the run starts when they are in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="104"/>
        <source>Cancelling the download…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="126"/>
        <source>The weights download was cancelled; the run was not started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="131"/>
        <source>TerraMind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/missing_weights.py" line="130"/>
        <source>The run was not started: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExplorePanel</name>
    <message>
        <location filename="../ui/explore.py" line="71"/>
        <source>A multi-band embedding raster (one band per feature).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="73"/>
        <source>Find similar places</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="135"/>
        <source>Label as {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="76"/>
        <source>Label as unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="77"/>
        <source>Add class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="78"/>
        <source>Explore on map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="80"/>
        <source>Click pixels of the embedding layer; Shift+click adds a seed to the similarity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="83"/>
        <source>Least certain pixel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="84"/>
        <source>Save result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="85"/>
        <source>Choose an embedding layer, then click “Explore on map”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="89"/>
        <source>Embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="91"/>
        <source>Click</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="146"/>
        <source>Choose an embedding layer first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="161"/>
        <source>Loading the embeddings of “{0}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="163"/>
        <source>TerraMind: load embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="180"/>
        <source>Loading was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="344"/>
        <source>Explore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="186"/>
        <source>{0}: {1} x {2} pixels in memory. Click on the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="196"/>
        <source>Still loading the embeddings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="205"/>
        <source>No embedding under this point (outside the layer or nodata).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="217"/>
        <source>Similarity to {0} seed pixel(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="222"/>
        <source>Labelled {0} pixel(s); label a second class to classify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="232"/>
        <source>Classified with {0} labelled pixel(s), {1} classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="236"/>
        <source>({0:.2f} s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="258"/>
        <source>Least certain pixel (p = {0:.2f}): label it with a click.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="270"/>
        <source>Explore: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="332"/>
        <source>TerraMind: save exploration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="338"/>
        <source>Saving was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="341"/>
        <source>TerraMind Explore · {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="344"/>
        <source>Saved {0} file(s): {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/explore.py" line="133"/>
        <source>class {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InputLayers</name>
    <message>
        <location filename="../ui/input_layers.py" line="36"/>
        <source>Input layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/input_layers.py" line="123"/>
        <source>“{0}” was not used: {1}. Choose it in a role's list if it is an input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/input_layers.py" line="129"/>
        <source>“{0}” is the {1} input: {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/input_layers.py" line="111"/>
        <source>Reading the values of “{0}” to tell its role…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutputChooser</name>
    <message>
        <location filename="../ui/widgets/output.py" line="14"/>
        <source>Temporary files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/output.py" line="15"/>
        <source>Save in folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/output.py" line="18"/>
        <source>Folder for TerraMind outputs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoleOffer</name>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="134"/>
        <source>Use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="137"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="151"/>
        <source>Use “{layer}” as the {role} input?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/role_picker.py" line="160"/>
        <source>Also use the same scene&apos;s {0}?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunCheck</name>
    <message>
        <location filename="../ui/run_check.py" line="54"/>
        <source>Choose the Sentinel-2 L2A and Sentinel-1 RTC layers of each date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_check.py" line="93"/>
        <source>⚠ {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <location filename="../ui/widgets/run_controls.py" line="19"/>
        <source>Weights…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/run_controls.py" line="20"/>
        <source>Estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/run_controls.py" line="21"/>
        <source>Check the inputs and estimate tiles, time and disk space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/run_controls.py" line="22"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/run_controls.py" line="23"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunLauncher</name>
    <message>
        <location filename="../ui/run_launcher.py" line="76"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="86"/>
        <source>{0:.0f} s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="86"/>
        <source>{0:.0f} min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="91"/>
        <source>%p% · {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="98"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="132"/>
        <source>Done: {0} layer(s) in “{1}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="135"/>
        <source>Added {0} layer(s) to the group “{1}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="141"/>
        <source>Embeddings file: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="144"/>
        <source>TerraMind finished with notices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="162"/>
        <source>TerraMind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="154"/>
        <source>TerraMind failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="160"/>
        <source>Cancelled; no output was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/run_launcher.py" line="161"/>
        <source>The run was cancelled; no output was kept.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskForm</name>
    <message>
        <location filename="../ui/widgets/task_form.py" line="38"/>
        <source>Larger models are slower and need more memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/task_form.py" line="41"/>
        <source>{0} px ({1} model pass(es) per tile)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/task_form.py" line="43"/>
        <source>Pixels between embedding vectors: 16 = one per patch; 8 or 4 run the model on shifted windows, (16 / stride)^2 times as often, for a finer embedding map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/task_form.py" line="52"/>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/task_form.py" line="53"/>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/task_form.py" line="54"/>
        <source>Model size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/task_form.py" line="55"/>
        <source>Embedding stride</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerraMind</name>
    <message>
        <location filename="../bridge/runtime/calibration.py" line="46"/>
        <source>TerraMind: measuring this computer&apos;s speed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerraMindDock</name>
    <message>
        <location filename="../ui/dock.py" line="73"/>
        <source>TerraMind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="109"/>
        <source>Task and model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="118"/>
        <source>Area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="122"/>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="127"/>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="133"/>
        <source>Explore embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="281"/>
        <source>Cannot run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="283"/>
        <source>TerraMind: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="104"/>
        <source>Fine-tuned model and dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="288"/>
        <source>the Hugging Face cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="294"/>
        <source>Folder with the TerraMind weight files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="297"/>
        <source>Weights folder set; press Run to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="266"/>
        <source>{0} ({1} more in the TerraMind panel)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerraMindPlugin</name>
    <message>
        <location filename="../plugin.py" line="69"/>
        <source>TerraMind Panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="69"/>
        <source>Show or hide the TerraMind panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="79"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="79"/>
        <source>Default model, device and options; weights folders; the Python that runs models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="84"/>
        <source>Set Up Runtime…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="84"/>
        <source>Settings: Python packages (torch), CPU or GPU build, worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="88"/>
        <source>Model Weights…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="88"/>
        <source>Settings: weights folder, cache, offline mode, downloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="92"/>
        <source>About…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="92"/>
        <source>Versions, devices and a diagnostics report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="98"/>
        <source>&amp;TerraMind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="138"/>
        <source>TerraMind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="138"/>
        <source>Could not open the panel: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightsDialog</name>
    <message>
        <location filename="../ui/weights_dialog.py" line="101"/>
        <source>TerraMind weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="105"/>
        <source>Checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="105"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="105"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="116"/>
        <source>A folder holding checkpoints under their official names (TerraMind_v1_tiny.pt, TerraMind_Tokenizer_LULC.pt, …); used before the download cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="124"/>
        <source>Hugging Face cache folder; empty = the default cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="125"/>
        <source>Offline: never download, use local and cached files only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="128"/>
        <source>Download selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="129"/>
        <source>Download model + LULC/S1 tokenizers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="130"/>
        <source>Cancel download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="150"/>
        <source>Local weights folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="151"/>
        <source>Download cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="179"/>
        <source>available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="179"/>
        <source>not downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="202"/>
        <source>Found in the folder: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="202"/>
        <source>No checkpoint with an official file name is in this folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="228"/>
        <source>Nothing to download.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="239"/>
        <source>Downloading {0} file(s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="254"/>
        <source>Downloaded {0} file(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/weights_dialog.py" line="105"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
