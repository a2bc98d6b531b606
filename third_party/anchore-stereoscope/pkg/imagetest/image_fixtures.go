package imagetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/anchore/stereoscope"
	"github.com/anchore/stereoscope/internal/testutil"
	"github.com/anchore/stereoscope/pkg/image"
)

const ImagePrefix = "stereoscope-fixture"

// getCacheDir returns the path to the image cache directory, automatically migrating
// from the legacy "test-fixtures/cache" directory to "testdata/cache" if needed.
func getCacheDir(t testing.TB) string {
	return testutil.GetFixturePath(t, "cache")
}

func PrepareFixtureImage(t testing.TB, source, name string) string {
	t.Helper()

	var location string
	switch source {
	case image.ContainerdDaemonSource:
		location = LoadFixtureImageIntoContainerd(t, name)
	case image.DockerTarballSource:
		location = GetFixtureImageTarPath(t, name)
	case image.DockerDaemonSource:
		location = LoadFixtureImageIntoDocker(t, name)
	case image.PodmanDaemonSource:
		location = LoadFixtureImageIntoPodman(t, name)
	case image.OciTarballSource:
		dockerArchivePath := GetFixtureImageTarPath(t, name)
		ociArchivePath := path.Join(path.Dir(dockerArchivePath), "oci-archive-"+path.Base(dockerArchivePath))
		if _, err := os.Stat(ociArchivePath); os.IsNotExist(err) {
			skopeoCopyDockerArchiveToPath(t, dockerArchivePath, fmt.Sprintf("oci-archive:%s", ociArchivePath))
		}
		location = ociArchivePath
	case image.OciDirectorySource:
		dockerArchivePath := GetFixtureImageTarPath(t, name)
		ociDirPath := path.Join(path.Dir(dockerArchivePath), "oci-dir-"+path.Base(dockerArchivePath))
		if _, err := os.Stat(ociDirPath); os.IsNotExist(err) {
			skopeoCopyDockerArchiveToPath(t, dockerArchivePath, fmt.Sprintf("oci:%s", ociDirPath))
		}
		location = ociDirPath
	case image.SingularitySource:
		location = GetFixtureImageSIFPath(t, name)
	default:
		t.Fatalf("could not determine source: %+v", source)
	}

	return fmt.Sprintf("%s:%s", source, location)
}

func GetFixtureImage(t testing.TB, source, name string) *image.Image {
	request := PrepareFixtureImage(t, source, name)

	i, err := stereoscope.GetImage(context.TODO(), request)
	if err != nil {
		// if request is docker-archive, get a bit of extra info about the tar path
		info := ""
		const dockerArchivePrefix = "docker-archive:"
		if after, ok := strings.CutPrefix(request, dockerArchivePrefix); ok {
			tarPath := after
			info = fmt.Sprintf(" (%s)", fileInfo(tarPath))
		}
		t.Fatalf("error getting fixture image: '%s' '%s' with request '%s'%s: %v", source, name, request, info, err)
	}
	t.Cleanup(func() {
		require.NoError(t, i.Cleanup())
	})
	return i
}

func GetGoldenFixtureImage(t testing.TB, name string) *image.Image {
	imageName, _ := getFixtureImageInfo(t, name)
	tarFileName := imageName + testutil.GoldenFileExt
	tarPath := getFixtureImageTarPath(t, name, testutil.GoldenFileDirPath, tarFileName)
	return getFixtureImageFromTar(t, tarPath)
}

func UpdateGoldenFixtureImage(t testing.TB, name string) {
	t.Log(testutil.DangerText("!!! UPDATING GOLDEN FIXTURE IMAGE !!!"), name)

	imageName, _ := getFixtureImageInfo(t, name)
	goldenTarFilePath := path.Join(testutil.GoldenFileDirPath, imageName+testutil.GoldenFileExt)
	tarPath := GetFixtureImageTarPath(t, name)
	copyFile(t, tarPath, goldenTarFilePath)
}

func isSkopeoAvailable() bool {
	_, err := exec.LookPath("skopeo")
	return err == nil
}

func skopeoCopyDockerArchiveToPath(t testing.TB, dockerArchivePath, destination string) {
	if !isSkopeoAvailable() {
		t.Fatalf("cannot find skopeo executable")
	}

	archive := fmt.Sprintf("docker-archive:%s", dockerArchivePath)
	cmd := exec.Command("skopeo", "copy", "--insecure-policy", archive, destination)
	cmd.Env = os.Environ()

	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = os.Stdin

	if err := cmd.Run(); err != nil {
		t.Fatalf("skopeo failed: %+v", err)
	}
}

// PrepareMultiplatformFixtureImage pulls a multiplatform image from a registry and stores it as
// an OCI directory or OCI tarball, preserving the multiplatform index. Returns the local path.
func PrepareMultiplatformFixtureImage(t testing.TB, source, remoteImage string) string {
	t.Helper()

	if !isSkopeoAvailable() {
		t.Fatalf("cannot find skopeo executable")
	}

	cacheDir := getCacheDir(t)
	if !dirExists(t, cacheDir) {
		err := os.MkdirAll(cacheDir, 0o755)
		if err != nil {
			t.Fatalf("could not create cache dir (%s): %+v", cacheDir, err)
		}
	}

	// create a safe filename from the remote image reference
	safeName := strings.NewReplacer("/", "_", ":", "-", ".", "_").Replace(remoteImage)

	var location, transport string
	switch source {
	case image.OciDirectorySource:
		location = path.Join(cacheDir, "multiplatform-oci-dir-"+safeName)
		transport = "oci"
	case image.OciTarballSource:
		location = path.Join(cacheDir, "multiplatform-oci-archive-"+safeName+".tar")
		transport = "oci-archive"
	default:
		t.Fatalf("PrepareMultiplatformFixtureImage does not support source: %s", source)
	}

	if _, err := os.Stat(location); os.IsNotExist(err) {
		src := fmt.Sprintf("docker://%s", remoteImage)
		// copy to a staging path and rename on success, so an interrupted copy can't leave a partial
		// fixture behind that every later run would treat as a valid cache hit
		staging := location + ".tmp"
		if err := os.RemoveAll(staging); err != nil {
			t.Fatalf("could not clear staging path (%s): %+v", staging, err)
		}
		// --preserve-digests ensures that the image manifests will remain the same.
		// Skopeo will error if the source image is not in the OCI format, since it will
		// have to convert it to OCI format, which would change the digests of the manifests.
		cmd := exec.Command("skopeo", "copy", "--insecure-policy", "--all", "--preserve-digests", "--retry-times=3", src, fmt.Sprintf("%s:%s", transport, staging))
		cmd.Env = os.Environ()
		cmd.Stdout = os.Stdout
		cmd.Stderr = os.Stderr
		cmd.Stdin = os.Stdin
		if err := cmd.Run(); err != nil {
			_ = os.RemoveAll(staging)
			t.Fatalf("skopeo copy failed for multiplatform image %q: %+v", remoteImage, err)
		}
		if err := os.Rename(staging, location); err != nil {
			t.Fatalf("could not move multiplatform fixture into place (%s): %+v", location, err)
		}
	} else {
		t.Logf("using cached multiplatform fixture: %s", location)
	}

	return location
}

func getFixtureImageFromTar(t testing.TB, tarPath string) *image.Image {
	request := fmt.Sprintf("docker-archive:%s", tarPath)

	i, err := stereoscope.GetImage(context.TODO(), request)
	require.NoError(t, err)

	t.Cleanup(func() {
		if err := i.Cleanup(); err != nil {
			t.Errorf("could not cleanup tarPath=%q: %+v", tarPath, err)
		}
	})

	return i
}

func getFixtureImageInfo(t testing.TB, name string) (string, string) {
	version := fixtureVersion(t, name)
	imageName := fmt.Sprintf("%s-%s", ImagePrefix, name)
	return imageName, version
}

func LoadFixtureImageIntoDocker(t testing.TB, name string) string {
	return loadFixtureInContainerEngine(t, name, isImageInDocker, buildDockerImage)
}

func LoadFixtureImageIntoPodman(t testing.TB, name string) string {
	return loadFixtureInContainerEngine(t, name, isImageInPodman, buildPodmanImage)
}

func LoadFixtureImageIntoContainerd(t testing.TB, name string) string {
	return loadFixtureInContainerEngine(t, name, isImageInContainerd, buildContainerdImage)
}

func loadFixtureInContainerEngine(t testing.TB, name string,
	hasImage func(string) bool, build func(testing.TB, string, string, string)) string {
	imageName, imageVersion := getFixtureImageInfo(t, name)
	fullImageName := fmt.Sprintf("%s:%s", imageName, imageVersion)

	if !hasImage(fullImageName) {
		contextPath := testutil.GetFixturePath(t, name)
		build(t, contextPath, imageName, imageVersion)
	}

	return fullImageName
}

func getFixtureImageTarPath(t testing.TB, fixtureName, tarStoreDir, tarFileName string) string {
	imageName, imageVersion := getFixtureImageInfo(t, fixtureName)
	fullImageName := fmt.Sprintf("%s:%s", imageName, imageVersion)
	tarPath := path.Join(tarStoreDir, tarFileName)

	// create the cache dir if it does not already exist...
	if !dirExists(t, getCacheDir(t)) {
		err := os.MkdirAll(getCacheDir(t), 0o755)
		if err != nil {
			t.Fatalf("could not create tar cache dir (%s): %+v", getCacheDir(t), err)
		}
	}

	// if the image tar does not exist, make it
	if !fileExists(t, tarPath) {
		if !isImageInDocker(fullImageName) {
			contextPath := testutil.GetFixturePath(t, fixtureName)
			buildDockerImage(t, contextPath, imageName, imageVersion)
		}

		err := saveImage(t, fullImageName, tarPath)
		if err != nil {
			t.Fatal("could not save fixture image:", err)
		}
	} else {
		t.Logf("using existing image tar: '%s' (%s)", tarPath, fileInfo(tarPath))
	}

	return tarPath
}

func fileInfo(filePath string) string {
	s, err := os.Stat(filePath)
	if os.IsNotExist(err) {
		return "not exist"
	}
	return fmt.Sprintf("size: %v, modified: %v, mode: %v", s.Size(), s.ModTime(), s.Mode())
}

func GetFixtureImageTarPath(t testing.TB, name string) string {
	imageName, imageVersion := getFixtureImageInfo(t, name)
	tarFileName := fmt.Sprintf("%s-%s.tar", imageName, imageVersion)
	return getFixtureImageTarPath(t, name, getCacheDir(t), tarFileName)
}

func fixtureVersion(t testing.TB, name string) string {
	contextPath := testutil.GetFixturePath(t, name)
	dockerfileHash := dirHash(t, contextPath)
	return dockerfileHash
}

func isImageInDocker(imageName string) bool {
	cmd := exec.Command("docker", "image", "inspect", imageName)
	cmd.Env = os.Environ()
	err := cmd.Run()
	return err == nil
}

func isImageInPodman(imageName string) bool {
	cmd := exec.Command("podman", "image", "inspect", imageName)
	cmd.Env = os.Environ()
	err := cmd.Run()
	return err == nil
}

func isImageInContainerd(imageName string) bool {
	cmd := exec.Command("ctr", "image", "inspect", "|", "grep", imageName)
	cmd.Env = os.Environ()
	err := cmd.Run()
	return err == nil
}

func buildDockerImage(t testing.TB, contextDir, name, tag string) {
	t.Logf("Build docker image: name=%q tag=%q", name, tag)
	fullTag := fmt.Sprintf("%s:%s", name, tag)
	latestTag := fmt.Sprintf("%s:latest", name)
	cmd := exec.Command("docker", "build", "-t", fullTag, "-t", latestTag, ".")
	cmd.Env = os.Environ()
	cmd.Dir = contextDir
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = os.Stdin
	require.NoError(t, cmd.Run(), "could not build docker image (shell out)")
}

func buildPodmanImage(t testing.TB, contextDir, name, tag string) {
	t.Logf("Build podman image: name=%q tag=%q", name, tag)

	fullTag := fmt.Sprintf("%s:%s", name, tag)
	latestTag := fmt.Sprintf("%s:latest", name)
	cmd := exec.Command("podman", "build", "-t", fullTag, "-t", latestTag, ".")
	cmd.Env = os.Environ()
	cmd.Dir = contextDir
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = os.Stdin
	require.NoError(t, cmd.Run(), "could not build podman image (shell out)")
}

func buildContainerdImage(t testing.TB, contextDir, name, tag string) {
	fullTag := fmt.Sprintf("%s:%s", name, tag)
	tempFile := fmt.Sprintf("/tmp/%s.tar.gz", fullTag)
	buildDockerImage(t, contextDir, name, tag)

	err := saveImage(t, fullTag, tempFile)
	require.NoError(t, err, "could not save docker image (shell out)")
	cmd := exec.Command("ctr", "image", "import", tempFile)

	env := os.Environ()
	if os.Getenv("CONTAINERD_ADDRESS") == "" {
		env = append(env, fmt.Sprintf("CONTAINERD_ADDRESS=%s", os.Getenv("CONTAINERD_ADDRESS")))
	}
	cmd.Env = env

	cmd.Dir = contextDir
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = os.Stdin
	require.NoError(t, cmd.Run(), "could not import docker image to containerd (shell out)")
	require.NoError(t, os.Remove(tempFile), "could not remove saved docker image")
}

func saveImage(t testing.TB, image, path string) error {
	t.Logf("saveImage running: docker image save %s", image)

	// the tar is written atomically since the same cache path can be shared by several test processes (e.g. `go test`
	// running multiple packages that resolve fixtures from one testdata dir). Callers check for the tar and then save
	// it, so two processes can both decide to save; writing in place would let one process truncate a tar that
	// another has already finished and is about to read.
	return writeFileAtomic(path, func(w io.Writer) error {
		// note: we are not using -o since some CI providers need root access for the docker client, however,
		// we don't want the resulting tar to be owned by root, thus we write the file piped from stdout.
		cmd := exec.Command("docker", "image", "save", image)
		cmd.Env = os.Environ()

		cmd.Stdout = w
		cmd.Stderr = os.Stderr
		cmd.Stdin = os.Stdin
		return cmd.Run()
	})
}

func GetFixtureImageSIFPath(t testing.TB, name string) string {
	imageName, imageVersion := getFixtureImageInfo(t, name)
	sifFileName := fmt.Sprintf("%s-%s.sif", imageName, imageVersion)
	return getFixtureImageSIFPath(t, name, getCacheDir(t), sifFileName)
}

func getFixtureImageSIFPath(t testing.TB, fixtureName, sifStoreDir, sifFileName string) string {
	imageName, imageVersion := getFixtureImageInfo(t, fixtureName)
	fullImageName := fmt.Sprintf("%s:%s", imageName, imageVersion)
	sifPath := path.Join(sifStoreDir, sifFileName)

	// create the cache dir if it does not already exist...
	if !dirExists(t, getCacheDir(t)) {
		err := os.MkdirAll(getCacheDir(t), 0o755)
		if err != nil {
			t.Fatalf("could not create sif cache dir (%s): %+v", getCacheDir(t), err)
		}
	}

	// if the image sif does not exist, make it
	if !fileExists(t, sifPath) {
		if !isImageInDocker(fullImageName) {
			contextPath := testutil.GetFixturePath(t, fixtureName)
			buildDockerImage(t, contextPath, imageName, imageVersion)
		}
		err := buildSIFFromDocker(t, fullImageName, sifPath)
		if err != nil {
			t.Fatal("could not save fixture image:", err)
		}
	} else {
		t.Logf("using existing sif archive: %s", sifPath)
	}

	return sifPath
}

func buildSIFFromDocker(t testing.TB, image, path string) error {
	absHostDir, err := filepath.Abs(filepath.Dir(path))
	require.NoError(t, err)

	singularityArgs := []string{"build", "--disable-cache", "--force", "image/" + filepath.Base(path), "docker-daemon:" + image}

	allArgs := append([]string{
		"run",
		"-t",
		"--rm",
		"-v",
		"/var/run/docker.sock:/var/run/docker.sock",
		"-v",
		absHostDir + ":/image",
		"localhost/singularity:dev", // from integration tools (make integration-tools)
		"singularity",
	}, singularityArgs...)

	cmd := exec.Command("docker", allArgs...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = os.Stdin
	return cmd.Run()
}
