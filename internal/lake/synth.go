package lake

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vigil-sec/vigil/internal/logs"
)

// SyntheticStats describes a generated lake.
type SyntheticStats struct {
	Events     int
	Partitions int
	Duration   time.Duration
}

type synthSource struct {
	src       logs.Source
	share     float64
	provider  string
	class     int32
	className string
	ops       []string
	service   string
}

var synthSources = []synthSource{
	{logs.AWSCloudTrail, 0.50, "AWS", 6003, "API Activity", []string{"GetObject", "PutObject", "AssumeRole", "DescribeInstances", "ListBuckets", "GetCallerIdentity", "CreateAccessKey", "RunInstances", "StopLogging", "PutBucketPolicy", "ConsoleLogin", "Decrypt"}, "s3.amazonaws.com"},
	{logs.AzureActivity, 0.15, "Azure", 6003, "API Activity", []string{"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE", "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION", "MICROSOFT.KEYVAULT/VAULTS/WRITE", "MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE"}, "Microsoft.Resources"},
	{logs.AzureSignIn, 0.15, "Azure", 3002, "Authentication", []string{"Sign-in activity"}, "Microsoft Entra ID"},
	{logs.AzureAudit, 0.05, "Azure", 3001, "Account Change", []string{"Add user", "Add member to role", "Reset user password", "Update user", "Delete user"}, "Core Directory"},
	{logs.GCPAudit, 0.15, "GCP", 6003, "API Activity", []string{"storage.objects.get", "SetIamPolicy", "google.iam.admin.v1.CreateServiceAccountKey", "v1.compute.instances.insert", "google.logging.v2.ConfigServiceV2.DeleteSink"}, "storage.googleapis.com"},
}

// synthRegions returns the regions of a provider's synthetic events (a
// function rather than a map: no initializer at every start of the binary).
func synthRegions(provider string) []string {
	switch provider {
	case "AWS":
		return []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}
	case "Azure":
		return []string{"westeurope", "eastus", ""}
	case "GCP":
		return []string{"europe-west2", "us-central1", ""}
	}
	return nil
}

// GenerateSynthetic writes n synthetic events spread over 30 days and all
// sources into the lake at dir, in the same layout and schema as ingest, for
// benchmarks. It is deterministic for a given seed.
func GenerateSynthetic(ctx context.Context, dir string, n int, seed uint64) (SyntheticStats, error) {
	start := time.Now()
	const days = 30
	day0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	type job struct {
		s     synthSource
		day   int
		count int
		seed  uint64
	}
	var jobs []job
	assigned := 0
	for si, s := range synthSources {
		total := int(float64(n) * s.share)
		if si == len(synthSources)-1 {
			total = n - assigned
		}
		assigned += total
		for d := 0; d < days; d++ {
			c := total / days
			if d < total%days {
				c++
			}
			if c > 0 {
				jobs = append(jobs, job{s, d, c, seed*1000003 + uint64(si*days+d)})
			}
		}
	}
	codec, err := newZstdCodec(2)
	if err != nil {
		return SyntheticStats{}, err
	}
	defer codec.Close()
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for _, j := range jobs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			rows := synthRows(j.s, day0.AddDate(0, 0, j.day), j.count, j.seed)
			_, err := writePart(filepath.Join(dir, partitionDir(j.s.src, day0.AddDate(0, 0, j.day))), rows, codec)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return SyntheticStats{}, fmt.Errorf("lake: generate: %w", err)
	}
	return SyntheticStats{Events: n, Partitions: len(jobs), Duration: time.Since(start)}, nil
}

func synthRows(s synthSource, day time.Time, n int, seed uint64) []Row {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	offsets := make([]int64, n)
	for i := range offsets {
		offsets[i] = r.Int64N(int64(24 * time.Hour / time.Millisecond))
	}
	sort.Slice(offsets, func(i, j int) bool { return offsets[i] < offsets[j] })
	regions := synthRegions(s.provider)
	rows := make([]Row, n)
	for i := range rows {
		t := day.Add(time.Duration(offsets[i]) * time.Millisecond)
		// A skewed choice: a few users and operations dominate, as in real logs.
		user := int(r.ExpFloat64()*40) % 500
		op := s.ops[int(r.ExpFloat64()*1.5)%len(s.ops)]
		ip := "198.51." + strconv.Itoa(user%200) + "." + strconv.Itoa(int(r.Uint32()%250))
		acct := strconv.Itoa(100000000000 + user%20)
		status, statusID := "Success", int32(1)
		if r.IntN(100) < 4 {
			status, statusID = "Failure", 2
		}
		uid := strconv.FormatUint(seed, 36) + "-" + strconv.Itoa(i)
		raw := `{"synthetic":true,"source":"` + string(s.src) + `","time":"` + t.Format(time.RFC3339Nano) + `","operation":"` + op + `","user":"user` + strconv.Itoa(user) + `","ip":"` + ip + `","id":"` + uid + `"}`
		rows[i] = Row{
			Time:          t,
			ClassUID:      s.class,
			ClassName:     s.className,
			ActivityID:    3,
			Activity:      "Update",
			SeverityID:    1,
			Severity:      "Informational",
			StatusID:      statusID,
			Status:        status,
			CloudProvider: s.provider,
			AccountUID:    acct,
			Region:        regions[user%len(regions)],
			ActorUserUID:  "uid-" + strconv.Itoa(user),
			ActorUserName: "user" + strconv.Itoa(user),
			ActorUserType: "User",
			SrcIP:         ip,
			UserAgent:     "synthetic/1.0",
			APIService:    s.service,
			APIOperation:  op,
			EventUID:      uid,
			EventHash:     EventHash([]byte(raw)),
			Raw:           raw,
			OCSF:          `{"class_uid":` + strconv.Itoa(int(s.class)) + `,"time":` + strconv.FormatInt(t.UnixMilli(), 10) + `,"metadata":{"uid":"` + uid + `"}}`,
			source:        s.src,
		}
	}
	return rows
}

// BenchQuery is the GROUP BY the lake benchmark times: events per source,
// operation and status over the whole lake.
const BenchQuery = `SELECT source, api_operation, status, count(*) AS n
FROM events GROUP BY ALL ORDER BY n DESC`

// BenchQueryDistinct is a heavier GROUP BY: distinct actors per source and
// operation.
const BenchQueryDistinct = `SELECT source, api_operation, count(*) AS n, count(DISTINCT actor_user_uid) AS users
FROM events GROUP BY ALL ORDER BY n DESC`

// TimeQuery runs q on the lake at dir (opening DuckDB and its views
// included) and returns the elapsed time and the number of result rows.
func TimeQuery(ctx context.Context, dir, q string) (time.Duration, int, error) {
	l := &Lake{Dir: dir}
	start := time.Now()
	n := 0
	err := l.Query(ctx, q, func([]string) error { return nil }, func([]any) error { n++; return nil })
	return time.Since(start), n, err
}
