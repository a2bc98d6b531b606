package logs

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
)

// Event Hubs Capture: Azure diagnostic settings that stream to an event
// hub (Activity Log, Entra ID logs, resource logs) are often kept by the
// hub's Capture feature, which writes Avro object container files to
// Blob Storage or Data Lake (<namespace>/<hub>/<partition>/YYYY/MM/DD/HH/mm/ss.avro).
// Each record is one EventData (SequenceNumber, Offset, EnqueuedTimeUtc,
// SystemProperties, Properties, Body); Body holds what the diagnostic
// setting sent: a {"records":[...]} document, as in the storage
// account delivery. The reader hands the bodies on, one per line, to be
// read as any other input; offsets in notes are then of that text.

// avroMagic starts every Avro object container file.
var avroMagic = []byte("Obj\x01")

// ErrAvroNoBody marks an Avro file whose records have no Body field: not
// an Event Hubs Capture file.
var ErrAvroNoBody = errors.New("Avro records without a Body field: vigil reads Event Hubs Capture files (EventData records whose Body is the event hub message)")

// captureEvent is the part of an Event Hubs Capture record vigil reads.
type captureEvent struct {
	Body []byte `avro:"Body"`
}

// maxBody bounds one record's Body: an event hub message is at most 1 MB
// (Standard tier) to 20 MB (Dedicated); hamba/avro's default is 1 MiB.
const maxBody = 32 << 20

// avroConfig is the decoder configuration (immutable once frozen).
var avroConfig = avro.Config{MaxByteSliceSize: maxBody}.Freeze()

// avroBodies reads the Avro container r and returns a stream of its
// records' bodies, each followed by a line feed. The file's header is
// read here (err when it is not a container file or its records have no
// Body); a later decoding error ends the stream with that error.
func avroBodies(r io.Reader) (io.Reader, error) {
	dec, err := ocf.NewDecoder(r, ocf.WithDecoderConfig(avroConfig))
	if err != nil {
		return nil, fmt.Errorf("avro: %w", err)
	}
	rec, ok := dec.Schema().(*avro.RecordSchema)
	if !ok {
		return nil, fmt.Errorf("avro: %w (schema %s)", ErrAvroNoBody, dec.Schema().Type())
	}
	found := false
	for _, f := range rec.Fields() {
		found = found || f.Name() == "Body"
	}
	if !found {
		return nil, fmt.Errorf("avro: %w (record %s)", ErrAvroNoBody, rec.FullName())
	}
	return &bodyReader{dec: dec}, nil
}

// bodyReader is the stream of a capture file's bodies.
type bodyReader struct {
	dec *ocf.Decoder
	cur bytes.Reader
	buf []byte // the current body and its line feed
	ev  captureEvent
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	for b.cur.Len() == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if !b.dec.HasNext() {
			b.err = io.EOF
			if err := b.dec.Error(); err != nil {
				b.err = fmt.Errorf("avro: %w", err)
			}
			continue
		}
		b.ev.Body = nil
		if err := b.dec.Decode(&b.ev); err != nil {
			b.err = fmt.Errorf("avro: %w", err)
			continue
		}
		if len(bytes.TrimSpace(b.ev.Body)) == 0 {
			continue
		}
		b.buf = append(append(b.buf[:0], b.ev.Body...), '\n')
		b.cur.Reset(b.buf)
	}
	return b.cur.Read(p)
}
